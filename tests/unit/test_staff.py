"""Staff — who did what (issue 12): the staff list, who each write records, "mine" on the
checklist, and the per-person figures of Insights on a shop where the answers are known."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from shopkeeper.domain.errors import InputError
from shopkeeper.insights import compute_insights
from shopkeeper.services import SaleInput
from shopkeeper.store.models import Contact, Feedback, Promise, Referral, Sale, SaleCorrection, SaleVoid

EMPTY = {"promises_due": 0, "promises_kept": 0, "promise_kept_rate": None, "calls": 0,
         "bought_within_30_days": None, "median_days_to_first_contact": None}


def _as(shop, staff_id):
    shop.staff_id = staff_id
    return shop


@pytest.fixture
def staffed(shop, make):
    """A shop with three people, AB and CD busy, EF never did anything; the figures by construction:

    promises (due by today, not cancelled): AB 3 (one kept on time, one late, one missed; a
    cancelled and a future one do not count), CD 1 kept on time;
    second-sale calls (14-90 days after a first purchase, still a first-time buyer): AB 4 (C1
    twice, C3, C5) of whom C1 bought 18 days after a call; CD 2 (C2, C4) of whom C4 bought 8 days
    after; first contacts from the due day (first purchase + 14): AB C1 +6, C3 +10, C4 -9 (called
    early) -> median 6; CD C2 +10; C5's first contact was nobody's; C7's call is not due yet."""
    ab = shop.add_staff("Anna Berg")
    cd = shop.add_staff("Carl Dahl")
    shop.add_staff("Eve Fox")
    ago, today = make.ago, make.today
    some = make.customer("Promisee")

    def promise(staff, made, due, status=None, closed=None):
        pid = _as(shop, staff).add_promise(some, "order the blue wool", due, made)
        if status:
            shop.set_promise_status(pid, status, closed)
        return pid

    promise(ab, ago(20), ago(10), "kept", ago(12))
    promise(ab, ago(20), ago(5), "kept", ago(3))
    promise(ab, ago(20), ago(8), "missed", ago(7))
    promise(ab, ago(20), ago(2), "cancelled", ago(4))
    promise(ab, ago(1), today + timedelta(days=5))
    promise(cd, ago(3), ago(1), "kept", ago(1))

    def buyer(name, first):
        _as(shop, None)
        return make.buyer(name, first)

    def call(staff, cid, on, outcome="reached"):
        _as(shop, staff).log_contact(cid, outcome, ago(on))

    c1 = buyer("C1", 60)
    call(ab, c1, 40, "no_answer")
    call(ab, c1, 38)
    make.sale(c1, ago(20), 1500)
    call(ab, c1, 10)  # after the second purchase: not a second-sale call
    c2 = buyer("C2", 50)
    call(cd, c2, 26)
    c3 = buyer("C3", 100)
    call(ab, c3, 76)
    make.sale(c3, ago(40), 1500)  # 36 days after the call
    c4 = buyer("C4", 30)
    call(ab, c4, 25)  # day 5: too early for a second-sale call, but the first contact
    call(cd, c4, 10)
    make.sale(c4, ago(2), 1500)
    c5 = buyer("C5", 40)
    call(None, c5, 20)
    call(ab, c5, 15)
    c7 = buyer("C7", 5)
    call(ab, c7, 3)
    _as(shop, None)
    return {"AB": ab, "CD": cd}


EXPECTED = [
    {"initials": "AB", "name": "Anna Berg", "promises_due": 3, "promises_kept": 1, "promise_kept_rate": 33.3,
     "calls": 4, "bought_within_30_days": 1, "median_days_to_first_contact": 6.0},
    {"initials": "CD", "name": "Carl Dahl", "promises_due": 1, "promises_kept": 1, "promise_kept_rate": 100.0,
     "calls": 2, "bought_within_30_days": 1, "median_days_to_first_contact": 10.0},
    {"initials": "EF", "name": "Eve Fox", **EMPTY},
]


def test_staff_figures_are_exact_on_a_shop_built_to_know_them(shop, staffed, today):
    result = compute_insights(shop, today, remember_models=False)
    assert [s.to_json() for s in result.staff] == EXPECTED


def test_staff_figures_through_the_cli_json(shop, staffed, today, run):
    code, out, err = run("--db", shop.location, "insights", "--format", "json", "--date", today.isoformat())
    assert code == 0, err
    assert json.loads(out)["staff"] == EXPECTED


def test_staff_figures_are_as_of_the_day_asked(shop, staffed, make):
    """Before C1 and C4 came back and before the late promises fell due, the figures say so."""
    day = make.ago(21)
    figures = {s.initials: s.to_json() for s in compute_insights(shop, day, remember_models=False).staff}
    # AB: promise due ago(10) and ago(8) not yet due; calls C1 x2 (ago 40, 38) and C3 (ago 76): 3,
    # nobody bought yet within 30 days (C3's came 36 days later)
    assert figures["AB"]["promises_due"] == 0 and figures["AB"]["promise_kept_rate"] is None
    assert (figures["AB"]["calls"], figures["AB"]["bought_within_30_days"]) == (3, 0)
    assert (figures["CD"]["calls"], figures["CD"]["bought_within_30_days"]) == (1, 0)


def test_no_staff_list_means_an_empty_staff_key(shop, make, today, run):
    make.buyer("Solo", 30)
    assert compute_insights(shop, today, remember_models=False).staff == []
    code, out, _ = run("--db", shop.location, "insights", "--format", "json", "--date", today.isoformat())
    assert code == 0 and json.loads(out)["staff"] == []


def test_every_write_records_who_was_at_the_till_and_the_card_shows_their_initials(shop, make, today):
    ab = shop.add_staff("Anna Berg")
    cd = shop.add_staff("Carl Dahl", "cd")
    referrer = make.customer("Referrer")
    shop.staff_id = ab
    cid = make.customer("Client", referred_by=referrer)  # the referral is AB's
    sale = make.sale(cid, make.ago(10), 5000)
    other = make.sale(cid, make.ago(9), 1000)
    shop.log_contact(cid, "reached", make.ago(5))
    promise = shop.add_promise(cid, "call back", today + timedelta(days=3), today)
    shop.add_feedback(cid, 5, "lovely", True, today)
    shop.staff_id = cd
    refund = shop.log_refund(sale, 500, today, today)
    shop.edit_sale(sale, amount_cents=4000, reason="typo", day=today)
    shop.void_sale(other, "twice", today)
    with shop.reading() as session:
        assert session.get(Sale, sale).staff_id == ab
        assert session.get(Sale, refund).staff_id == cd
        assert session.execute(select(SaleCorrection.staff_id)).scalar_one() == cd
        assert session.execute(select(SaleVoid.staff_id, SaleVoid.voided_by_id)).one() == (ab, cd)
        assert session.execute(select(Contact.staff_id)).scalar_one() == ab
        assert session.get(Promise, promise).staff_id == ab
        assert session.execute(select(Referral.staff_id)).scalar_one() == ab
        assert session.execute(select(Feedback.staff_id)).scalar_one() == ab
    card = shop.card(cid, today)
    assert {s.id: s.staff for s in card.sales} == {refund: "CD", sale: "AB"}
    assert card.sales[-1].edits[0].staff == "CD"
    assert (card.voided_sales[0].staff, card.voided_sales[0].voided_by) == ("AB", "CD")
    assert [c.staff for c in card.contacts] == ["AB"]
    assert [p.staff for p in card.open_promises] == ["AB"]
    assert [f.staff for f in card.feedback] == ["AB"]
    assert [p.staff for p in shop.open_promises(today)] == ["AB"]


def test_nobody_at_the_till_records_nobody(shop, make):
    shop.add_staff("Anna Berg")
    cid = make.buyer("Client", 10)
    with shop.reading() as session:
        assert session.execute(select(Sale.staff_id).where(Sale.customer_id == cid)).scalar_one() is None


def test_staff_list_rules(shop, today):
    ab = shop.add_staff("  Anna   Berg ")
    assert [(s.name, s.initials) for s in shop.staff()] == [("Anna Berg", "AB")]
    for name, initials, field, words in [
        ("", "", "name", "name"),
        ("Abe Baker", "", "initials", "already Anna Berg's"),
        ("Abe Baker", "A1", "initials", "letters only"),
        ("Abe Baker", "ABCDE", "initials", "at most 4"),
        ("1234", "", "initials", "no letters"),
    ]:
        with pytest.raises(InputError) as refused:
            shop.add_staff(name, initials)
        assert refused.value.field == field and words in refused.value.message
    assert len(shop.staff(include_retired=True)) == 1  # nothing saved on bad input
    assert shop.staff_by_initials("ab").id == ab
    shop.rename_staff(ab, "Anna Lind")
    assert [(s.name, s.initials) for s in shop.staff()] == [("Anna Lind", "AL")]
    shop.set_staff_at_till(ab)
    shop.retire_staff(ab, today)
    assert shop.staff() == [] and shop.staff_id is None  # the till they were at is nobody's
    with pytest.raises(InputError):
        shop.set_staff_at_till(ab)
    with pytest.raises(InputError):
        shop.add_staff("Al Other", "al")  # a retired person's initials stay theirs


def test_mine_keeps_my_promises_and_the_calls_whose_last_contact_was_mine(shop, make, today, run):
    ab = shop.add_staff("Anna Berg")
    cd = shop.add_staff("Carl Dahl")
    someone = make.customer("Promisee")
    mine = _as(shop, ab).add_promise(someone, "mine", today, make.ago(3))
    _as(shop, cd).add_promise(someone, "theirs", today, make.ago(3))
    snoozed = shop.add_promise(someone, "theirs, snoozed", today, make.ago(3))
    shop.snooze("promise", snoozed, someone, today, today + timedelta(days=2))
    _as(shop, None)
    tried_by_me = make.buyer("Tried by me", 20)
    tried_by_them_last = make.buyer("Tried by them last", 20)
    make.buyer("Never tried", 20)
    _as(shop, ab).log_contact(tried_by_me, "no_answer", make.ago(2), purpose="second_sale", subject_id=tried_by_me)
    shop.log_contact(tried_by_them_last, "no_answer", make.ago(3), purpose="second_sale", subject_id=tried_by_them_last)
    _as(shop, cd).log_contact(tried_by_them_last, "left_message", make.ago(1), purpose="second_sale",
                              subject_id=tried_by_them_last)
    _as(shop, None)
    everything = shop.checklist(today)
    assert len(everything.promises_due) == 2 and len(everything.second_sale) == 3
    only = shop.checklist(today, staff_id=ab)
    assert [p.promise_id for p in only.promises_due] == [mine]
    assert (everything.promise_counts().snoozed, only.promise_counts().snoozed) == (1, 0)
    assert shop.checklist(today, staff_id=cd).promise_counts().snoozed == 1
    assert [s.customer_id for s in only.second_sale] == [tried_by_me]
    code, out, err = run("--db", shop.location, "checklist", "--staff", "ab", "--format", "json", "--date", today.isoformat())
    assert code == 0, err
    data = json.loads(out)
    code, all_out, _ = run("--db", shop.location, "checklist", "--format", "json", "--date", today.isoformat())
    assert set(data) == set(json.loads(all_out))  # the same keys
    assert [p["promise_id"] for p in data["promises_due"]] == [mine]
    assert [s["customer_id"] for s in data["second_sale"]] == [tried_by_me]
    code, out, err = run("--db", shop.location, "checklist", "--staff", "ZZ", "--date", today.isoformat())
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1 and "ZZ" in err


def test_cli_staff_commands_and_bad_input(shop, run, make):
    db = shop.location
    assert run("--db", db, "staff", "add", "Anna Berg")[:2] == (0, "added AB Anna Berg (staff number 1)\n")
    assert run("--db", db, "staff", "add", "Abe Baker", "--initials", "abk")[0] == 0
    for args, words in [
        (("staff", "add", "Abe Baker"), "already Anna Berg's"),
        (("staff", "add", "Zed", "--initials", "Z9"), "letters only"),
        (("staff", "add", ""), "name"),
        (("staff", "remove", "99"), "no staff member number 99"),
        (("staff", "remove", "x"), "invalid int"),
        (("staff", "fire", "1"), "invalid choice"),
    ]:
        code, out, err = run("--db", db, *args)
        assert code != 0 and out == "" and len(err.strip().splitlines()) == 1 and words in err, (args, err)
    code, out, _ = run("--db", db, "staff", "list")
    assert code == 0 and out == "1\tAB\tAnna Berg\n2\tABK\tAbe Baker\n"
    assert run("--db", db, "--date", "2026-03-02", "staff", "remove", "2")[0] == 0
    assert run("--db", db, "staff", "list")[1] == "1\tAB\tAnna Berg\n"
    listed = json.loads(run("--db", db, "staff", "list", "--all", "--format", "json")[1])
    assert [(p["initials"], p["retired_on"]) for p in listed] == [("AB", None), ("ABK", "2026-03-02")]
    # --staff on the write commands: recorded; unknown or retired initials refused, nothing written
    cid = make.buyer("Client", 10)
    sale = shop.customer_sales(cid)[0].id
    code, _, err = run("--db", db, "sale", "void", str(sale), "--staff", "ABK")
    assert code != 0 and "ABK" in err and len(err.strip().splitlines()) == 1
    assert shop.sale(sale) is not None
    assert run("--db", db, "sale", "void", str(sale), "--staff", "ab")[0] == 0
    with shop.reading() as session:
        assert session.execute(select(SaleVoid.voided_by_id)).scalar_one() == 1


def test_the_till_file_keeps_one_choice_per_shop_and_a_damaged_one_means_nobody(tmp_path):
    from shopkeeper.till import load_initials, save_initials, shop_key

    till = tmp_path / "data" / "till.json"
    own, demo = shop_key(tmp_path / "shop.sqlite3"), shop_key(tmp_path / "demo.sqlite3")
    assert load_initials(till, own) is None  # no file yet
    save_initials(till, own, "AB")
    save_initials(till, demo, "CD")
    assert (load_initials(till, own), load_initials(till, demo)) == ("AB", "CD")
    save_initials(till, own, None)  # nobody
    assert (load_initials(till, own), load_initials(till, demo)) == (None, "CD")
    till.write_text("{not json", encoding="utf-8")
    assert load_initials(till, demo) is None
    save_initials(till, own, "EF")  # a damaged file is replaced, not a crash
    assert load_initials(till, own) == "EF"
