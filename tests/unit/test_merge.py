"""Merging duplicate customers with their whole history, and finding likely duplicates."""
from datetime import date

import pytest
from sqlalchemy import text

from shopkeeper.domain.errors import InputError
from shopkeeper.store.writes import CustomerFields

TABLES_WITH_CUSTOMER = ["sale", "promise", "contact", "feedback", "family_date", "follow_up", "customer_phone"]


def build_pair(shop, make):
    """Two records of one person, each with history; X referred one, and one referred R."""
    a = make.customer("Zoé Martin", phones=["06 28 23 04 55"], on=make.ago(300))
    b = make.customer("Zoe Martin", phones=["+33 6 28 23 04 55", "07 00 00 00 01"], email="zoe@example.com",
                      on=make.ago(200))
    shop.update_customer(b, CustomerFields(birthday=date(1985, 3, 5), likes="green tea", notes="Allergic to nuts",
                                           external_id="POS-77"))
    x = make.customer("Xavier Referrer")
    r = make.customer("Rosa Referred", on=make.ago(60))
    shop.set_referrer(b, x, make.ago(200))
    shop.set_referrer(r, b, make.ago(60))
    make.sale(r, make.ago(50), 1000)
    make.sale(a, make.ago(100), 3000, items=2)
    make.sale(a, make.ago(80), 2000)
    make.sale(b, make.ago(80), 1500)  # same day as one of a's: one purchase day after the merge
    make.sale(b, make.ago(40), 4500)
    make.sale(b, make.ago(39), -500)  # a refund
    p1 = shop.add_promise(a, "Order the blue cups", make.ago(1), make.ago(5))
    p2 = shop.add_promise(b, "Call about the teapot", make.ago(3), make.ago(5))
    shop.log_contact(a, "reached", make.ago(70), "liked the sencha")
    shop.log_contact(b, "no_answer", make.ago(30))
    shop.add_feedback(b, 4, "Nice", False, make.ago(30))
    shop.add_family_date(b, "wedding anniversary", date(2010, 6, 12))
    shop.snooze("second_sale", b, b, make.ago(2), make.ago(-2))
    return a, b, x, r, {p1, p2}


@pytest.mark.parametrize("direction", ["keep_first", "keep_second"])
def test_merge_moves_everything_and_keeps_figures_exact(shop, make, direction):
    a, b, x, r, promises = build_pair(shop, make)
    keep, drop = (a, b) if direction == "keep_first" else (b, a)
    with shop.engine.connect() as conn:
        sales_before = conn.execute(text("SELECT COUNT(*) FROM sale")).scalar()
    shop.merge(keep, drop)

    assert shop.card(drop, make.today) is None
    assert shop.count_customers() == 3
    card = shop.card(keep, make.today)
    assert card.purchase_days == 3  # days 100, 80 and 40 ago
    assert card.total_spend_cents == 3000 + 2000 + 1500 + 4500 - 500
    assert card.first_purchase_on == make.ago(100) and card.last_purchase_on == make.ago(40)
    assert card.level == 3  # through Rosa, who was referred by the dropped record and has bought
    assert len(card.sales) == 5
    assert {p.id for p in card.open_promises} == promises
    assert sorted(c.outcome for c in card.contacts) == ["no_answer", "reached"]
    assert [f.text for f in card.feedback] == ["Nice"]
    assert [f.label for f in card.family_dates] == ["wedding anniversary"]
    assert sorted(card.phones) == sorted({"06 28 23 04 55", "+33 6 28 23 04 55", "07 00 00 00 01"} - (
        {"06 28 23 04 55"} if keep == b else {"+33 6 28 23 04 55"}))
    assert len(card.phones) == 2
    assert card.email == "zoe@example.com"
    assert card.birthday == date(1985, 3, 5)
    assert "green tea" in card.likes and "Allergic to nuts" in card.notes
    assert card.external_id == "POS-77"
    assert card.referred_by.customer_id == x
    assert [ref.customer_id for ref in card.referrals] == [r]
    assert [ref.customer_id for ref in shop.card(x, make.today).referrals] == [keep]
    assert shop.card(r, make.today).referred_by.customer_id == keep

    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM sale")).scalar() == sales_before
        for table in TABLES_WITH_CUSTOMER:
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table} WHERE customer_id = :d"), {"d": drop}).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM referral WHERE referrer_id = :d OR referee_id = :d"),
                            {"d": drop}).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM customer WHERE id = :d"), {"d": drop}).scalar() == 0
        # the snooze on the second-sale follow-up now points at the kept customer
        assert conn.execute(text("SELECT customer_id, subject_id FROM follow_up")).all() == [(keep, keep)]


def test_merged_customer_found_by_either_old_phone(shop, make):
    a, b, *_ = build_pair(shop, make)
    shop.merge(a, b)
    assert [row.id for row in shop.lookup("07 00 00 00 01", make.today)] == [a]
    assert [row.id for row in shop.lookup("0628230455", make.today)] == [a]


def test_merge_of_two_one_timers_makes_a_repeat_customer(shop, make):
    a = make.buyer("One", 40, cents=1000, phones=["0611111111"])
    b = make.buyer("Two", 20, cents=2000, phones=["0622222222"])
    assert set(make.due_ids()) == {a, b}
    shop.merge(a, b)
    card = shop.card(a, make.today)
    assert (card.level, card.purchase_days, card.total_spend_cents) == (2, 2, 3000)
    assert make.due_ids() == []


def test_referrals_between_the_two_vanish_and_keep_its_own_referrer(shop, make):
    x, y = make.customer("X"), make.customer("Y")
    a = make.customer("A", referred_by=x)
    b = make.customer("B", referred_by=y)
    c = make.customer("C", referred_by=b)
    shop.merge(a, b)
    assert shop.card(a, make.today).referred_by.customer_id == x
    assert shop.card(y, make.today).referrals == []
    assert shop.card(c, make.today).referred_by.customer_id == a
    d = make.customer("D", referred_by=a)
    shop.merge(d, a)
    card = shop.card(d, make.today)
    assert card.referred_by.customer_id == x
    assert [r.customer_id for r in card.referrals] == [c]


def test_merge_refuses_nonsense(shop, make):
    a = make.customer("A")
    with pytest.raises(InputError):
        shop.merge(a, a)
    with pytest.raises(InputError):
        shop.merge(a, 9999)
    assert shop.count_customers() == 1


def test_duplicates_same_phone_in_different_formats(shop, make):
    a = make.customer("Alice Dupont", phones=["06 28 23 04 55"])
    b = make.customer("Bob Other", phones=["+33628230455"])
    make.customer("Carl Third", phones=["07 12 12 12 12"])
    pairs = shop.duplicates_of(a, make.today)
    assert [(p.first.id, p.second.id) for p in pairs] == [(a, b)]
    assert "same phone" in pairs[0].reason


def test_duplicates_same_email_any_case(shop, make):
    a = make.customer("Alice Dupont", email="Alice@Example.com")
    b = make.customer("Totally Else", email="alice@example.com")
    pairs = shop.duplicates_of(a, make.today)
    assert [(p.first.id, p.second.id) for p in pairs] == [(a, b)]
    assert "same email" in pairs[0].reason


@pytest.mark.parametrize(
    "first, second",
    [("Zoé Martin", "Zoe Martin"), ("Martin Zoé", "Zoé Martin"), ("Jean-Pierre Dupont", "Jean Pierre Dupont"),
     ("Catherine Lefebvre", "Catherine Lefebre")],
)
def test_duplicates_similar_names(shop, make, first, second):
    a = make.customer(first)
    b = make.customer(second)
    make.customer("Hugo Bernard")
    assert [(p.first.id, p.second.id) for p in shop.duplicates_of(a, make.today)] == [(a, b)]


def test_no_duplicates_among_different_people(shop, make):
    people = [make.customer("Alice Dupont", phones=["0611111111"], email="a@example.com"),
              make.customer("Bruno Martin", phones=["0622222222"], email="b@example.com"),
              make.customer("Chloé Bernard")]
    assert all(shop.duplicates_of(one, make.today) == [] for one in people)


def test_merge_never_leaves_a_referral_circle(shop, today):
    from shopkeeper.services import NewCustomer
    from shopkeeper.store.db import reading
    from shopkeeper.store.models import Referral
    from sqlalchemy import select

    keep = shop.create_customer(NewCustomer("Jean Dupont"), today)
    friend = shop.create_customer(NewCustomer("Friend", referred_by_id=keep), today)
    drop = shop.create_customer(NewCustomer("Jean Dupond", referred_by_id=friend), today)
    shop.merge(keep, drop)
    with reading(shop.engine) as session:
        pairs = {(r.referrer_id, r.referee_id) for r in session.execute(select(Referral)).scalars()}
    assert pairs == {(keep, friend)}


def test_duplicates_of_one_customer_by_phone_email_and_name(shop, today):
    from shopkeeper.services import NewCustomer

    jean = shop.create_customer(NewCustomer("Jean Dupont", ["06 12 34 56 78"], "jean@example.com"), today)
    by_phone = shop.create_customer(NewCustomer("J. D.", ["+33 6 12 34 56 78"]), today)
    by_email = shop.create_customer(NewCustomer("Someone", [], "JEAN@example.com"), today)
    by_name = shop.create_customer(NewCustomer("Jean Dupond"), today)
    shop.create_customer(NewCustomer("Marie Curie", ["0700000000"], "marie@example.com"), today)
    found = {pair.second.id: pair.reason for pair in shop.duplicates_of(jean, today)}
    assert set(found) == {by_phone, by_email, by_name}
    assert found[by_phone].startswith("same phone") and found[by_email].startswith("same email")
    assert found[by_name] == "similar names"
