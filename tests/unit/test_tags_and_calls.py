"""Tags on customers (issue 14, item 7) and `shopkeeper calls KIND` (item 9): every list filters by
tag, import and export carry tags, and a do-not-contact customer is on no list and in no new
checklist section."""
import csv
import io
import json

import pytest

from shopkeeper.cli_calls import KINDS
from shopkeeper.services import SaleInput
from shopkeeper.store.writes import CustomerFields, LineInput


def _qualifies_everywhere(shop, make, name, phone):
    """A customer on every call list and both new checklist sections (as of make.today)."""
    cid = make.customer(name, phones=[phone], on=make.ago(400))
    shop.log_sale(SaleInput(90_000, make.ago(300), customer_id=cid, lines=[LineInput("blue teapot", 1, 90_000)]))
    shop.update_customer(cid, CustomerFields(marketing_consent=True, birthday=make.today.replace(year=1970, month=4, day=10)))
    shop.add_feedback(cid, 1, "rude staff", False, make.ago(3))  # to answer
    shop.add_feedback(cid, 5, "better now", False, make.today)  # and satisfied since: worth a referral ask
    return cid


def _regular_with_a_big_order_and_a_question(shop, make, name):
    """Three usual visits, then one 5x as big yesterday ("thank for the big order"), and a question
    not answered yet."""
    cid = make.customer(name, phones=["06 99 88 77 66"], on=make.ago(400))
    for days_ago in (200, 150, 100):
        shop.log_sale(SaleInput(1_000, make.ago(days_ago), customer_id=cid))
    shop.log_sale(SaleInput(5_000, make.ago(1), customer_id=cid))
    shop.add_enquiry("is the blue teapot back?", make.ago(1), make.today, customer_id=cid)
    return cid


def _shop(shop, make):
    shop.save_settings({"keep_in_touch_per_day": "5"})
    ok = _qualifies_everywhere(shop, make, "Olive Okay", "06 11 22 33 44")
    dnc = _qualifies_everywhere(shop, make, "Dora Donot", "06 11 22 33 45")
    for n in range(8):  # small spenders so both are in the top 20%
        make.buyer(f"Small {n}", 5, cents=100)
    shop.log_contact(dnc, "do_not_contact", make.ago(1), "asked us to stop")
    return ok, dnc


def _calls(run, shop, kind, *extra):
    code, out, err = run("calls", kind, "--db", shop.location, "--date", "2026-03-02", "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_a_do_not_contact_customer_is_in_no_calls_kind_nor_new_checklist_key(shop, make, run):
    """Issue 14: in none of the call lists nor the new checklist keys (feedback to answer, keep in
    touch, big orders, enquiries); the enquiries screen still lists their question."""
    ok, dnc = _shop(shop, make)
    for kind in KINDS:
        extra = ("--item", "teapot") if kind == "item" else ("--days", "200") if kind == "quiet" else ()
        rows = _calls(run, shop, kind, *extra)
        ids = [row["id"] for row in rows]
        assert ok in ids and dnc not in ids, kind
        assert set(rows[0]) == {"id", "name", "phone", "email", "consent", "tags", "reason"} and rows[0]["reason"], kind
    regular = _regular_with_a_big_order_and_a_question(shop, make, "Rita Regular")
    blocked = _regular_with_a_big_order_and_a_question(shop, make, "Bea Blocked")
    shop.log_contact(blocked, "do_not_contact", make.ago(2), "asked us to stop")
    code, out, _ = run("checklist", "--db", shop.location, "--date", "2026-03-02", "--format", "json")
    checklist = json.loads(out)
    for key in ("feedback_to_answer", "keep_in_touch"):
        assert [row["customer_id"] for row in checklist[key]] == [ok], key
    for key in ("big_orders", "enquiries"):
        assert [row["customer_id"] for row in checklist[key]] == [regular], key
    assert [e.customer_id for e in shop.enquiries(make.today, open_only=True)] == [regular, blocked]


def test_calls_rows_and_formats(shop, make, run):
    ok, _ = _shop(shop, make)
    rows = _calls(run, shop, "feedback")
    assert rows == [{"id": ok, "name": "Olive Okay", "phone": "06 11 22 33 44", "email": "", "consent": True,
                     "tags": [], "reason": "1★ feedback on 2026-02-27: rude staff"}]
    code, out, _ = run("calls", "lapsed", "--db", shop.location, "--date", "2026-03-02", "--format", "csv")
    assert code == 0 and next(csv.reader(io.StringIO(out))) == ["id", "name", "phone", "email", "consent", "tags", "reason"]


@pytest.mark.parametrize("args,message", [
    (("calls", "nope"), "unknown call list 'nope'; the kinds are: lapsed, quiet, item, birthdays, referral-ask, "
                        "keep-in-touch, feedback"),
    (("calls", "item"), "`calls item` needs --item WORDS"),
])
def test_calls_usage_errors_are_one_line_exit_2(shop, run, args, message):
    code, out, err = run(*args, "--db", shop.location)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_tags_filter_every_list_and_the_customers_list(shop, make, run):
    ok, _ = _shop(shop, make)
    other = _qualifies_everywhere(shop, make, "Tom Teaclub", "06 11 22 33 46")
    shop.add_tags(other, "Tea club; wholesale")
    shop.add_tags(other, "tea CLUB")  # the same tag again, in another case: kept once
    assert shop.card(other, make.today).tags == ["Tea club", "wholesale"]
    for kind in KINDS:
        extra = ("--item", "teapot") if kind == "item" else ("--days", "200") if kind == "quiet" else ()
        assert [row["id"] for row in _calls(run, shop, kind, "--tag", "tea club", *extra)] == [other], kind
        assert ok in [row["id"] for row in _calls(run, shop, kind, *extra)], kind
    assert [r.id for r in shop.customers_page(make.today, tag="Wholesale")] == [other]
    assert shop.remove_tag(other, "wholesale") == ["Tea club"]
    assert shop.customers_page(make.today, tag="wholesale") == []


def test_import_and_export_carry_tags(shop, make, run, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("name,email,tags\nAnn Import,ann@example.com,\"wholesale; tea club\"\nBob Import,bob@example.com,\n",
                    encoding="utf-8")
    code, _, err = run("import", "customers", path, "--db", shop.location, "--date", "2026-03-02")
    assert code == 0, err
    code, out, _ = run("export", "customers", "--db", shop.location, "--date", "2026-03-02")
    rows = {row["name"]: row["tags"] for row in csv.DictReader(io.StringIO(out))}
    assert rows == {"Ann Import": "tea club; wholesale", "Bob Import": ""}
    path.write_text("name,email,tags\nAnn Import,ann@example.com,Regular\n", encoding="utf-8")
    code, out, _ = run("import", "customers", path, "--db", shop.location, "--date", "2026-03-02")
    assert code == 0 and "updated 1 customers" in out
    code, out, _ = run("export", "customers", "--db", shop.location, "--format", "json")
    assert [row["tags"] for row in json.loads(out) if row["name"] == "Ann Import"] == [["Regular", "tea club", "wholesale"]]


def test_a_merge_keeps_both_records_tags_and_an_erasure_removes_them(shop, make):
    keep = make.customer("Mia Merge", phones=["06 11 22 33 47"])
    drop = make.customer("Mia Merge (2)", phones=["06 11 22 33 48"])
    shop.change_tags(keep, "wholesale")
    shop.change_tags(drop, "Wholesale, tea club")
    shop.merge(keep, drop)
    assert shop.card(keep, make.today).tags == ["tea club", "wholesale"]
    shop.erase_customer(keep, make.today)
    assert shop.card(keep, make.today).tags == [] and shop.all_tags() == []
