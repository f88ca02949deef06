"""Undo as a real reversal in the database, the large-sale threshold, and finding a customer
already on file before a second one is created (issue 10, items 3 and 4)."""
from __future__ import annotations

import sqlite3

import pytest

from shopkeeper.domain.amounts import FIXED_CENTS, large_sale_cents
from shopkeeper.domain.errors import InputError
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.undo import Step, UndoStack, promise_closed
from support.db_rows import connect

TABLES = ("customer", "customer_phone", "sale", "sale_line", "promise", "contact", "follow_up", "referral",
          "feedback", "family_date", "customer_fts")


def state(shop) -> dict[str, list[tuple]]:
    """Every row of the shop's tables (kept figures and the name index included)."""
    with connect(shop) as conn:
        return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")), key=repr) for t in TABLES if not (conn.postgres and t == "customer_fts")}


def test_undo_of_a_sale_with_its_new_referred_customer_leaves_the_database_as_before(shop, make, today):
    marie = make.buyer("Marie Curie", 100)
    before = state(shop)
    new = NewCustomer("Paul Neuf", ["07 55 44 33 22"], "paul@example.com", referred_by_id=marie)
    sale_id = shop.log_sale(SaleInput(4550, today, new_customer=new))
    assert state(shop) != before
    shop.undo([Step("sale", sale_id, new_customer=True)])
    assert state(shop) == before  # the sale, Paul, his phone, the referral and Marie's advocate day


def test_undo_of_a_sale_keeps_a_customer_who_has_other_history_and_recomputes_their_figures(shop, make, today):
    ann = make.buyer("Ann Client", 30, cents=2000)
    before = state(shop)
    sale_id = make.sale(ann, today, 1_234_567)
    shop.undo_sale(sale_id, new_customer=True)  # Ann has an older sale: she stays
    assert state(shop) == before


def test_undo_of_contact_promise_and_follow_ups(shop, make, today):
    ann = make.buyer("Ann Client", 20)
    promise = shop.add_promise(ann, "call back", today, today)
    before = state(shop)
    contact = shop.log_contact(ann, "reached", today, "she will come")
    shop.set_promise_status(promise, "kept", today)
    closed = shop.close_follow_up("second_sale", ann, ann, today)
    snoozed = shop.snooze("birthday", ann, ann, today, make.ago(-3))
    shop.undo_contact(contact)
    shop.reopen_promise(promise)
    shop.remove_follow_up(closed)
    shop.remove_follow_up(snoozed)
    assert state(shop) == before


def test_undo_of_something_already_gone_says_so_and_changes_nothing(shop, make, today):
    ann = make.buyer("Ann Client", 20)
    contact = shop.log_contact(ann, "reached", today)
    shop.undo_contact(contact)
    before = state(shop)
    with pytest.raises(InputError):
        shop.undo_contact(contact)
    with pytest.raises(InputError):
        shop.undo_sale(9999)
    assert state(shop) == before


def test_undo_stack_is_last_in_first_out_and_says_whose_and_how():
    stack = UndoStack(limit=2)
    for n in range(3):
        stack.push(promise_closed("Marie Dupont", f"call back {n}", "kept", n))
    assert len(stack) == 2
    top = stack.pop()
    assert top.notice == "Kept: Marie Dupont's promise 'call back 2' — ctrl+z to undo"
    assert stack.pop().steps == (Step("promise", 1),)
    assert stack.pop() is None


def test_large_sale_is_ten_times_the_median_or_a_fixed_amount_with_little_history(shop, make, today):
    assert large_sale_cents("auto", [1000] * 19) == FIXED_CENTS
    assert large_sale_cents("auto", [1000] * 10 + [3000] * 11 + [-500] * 50) == 30_000
    assert large_sale_cents("250", []) == 25_000
    assert shop.large_sale_cents() == FIXED_CENTS
    ann = make.customer()
    for n in range(25):
        make.sale(ann, make.ago(n), 2000 + n)
    assert shop.large_sale_cents() == 10 * 2012
    shop.save_settings({"large_sale": "300,50"})
    assert shop.settings.large_sale == "300.50"
    assert shop.large_sale_cents() == 30_050
    with pytest.raises(InputError):
        shop.save_settings({"large_sale": "lots"})


def test_same_customers_by_name_any_order_case_accents_commas_and_by_phone_or_email(shop, make, today):
    noah = make.customer("Noah Gauthier", phones=["06 11 22 33 44"])
    jerome = make.customer("Jérôme Faure", email="jf@example.com")
    make.customer("Noah Gautier")  # a different spelling is not the same name

    def ids(name, phones=(), email=""):
        return [(row.id, reason) for row, reason in shop.same_customers(NewCustomer(name, list(phones), email), today)]

    assert ids("Gauthier, Noah") == [(noah, "same name")]
    assert ids("noah GAUTHIER") == [(noah, "same name")]
    assert ids("jerome faure") == [(jerome, "same name")]
    assert ids("Someone Else", ["+33 6 11 22 33 44"]) == [(noah, "same phone +33 6 11 22 33 44")]
    assert ids("Someone Else", email="JF@example.com") == [(jerome, "same email JF@example.com")]
    assert ids("Someone Else", ["07 00 00 00 00"], "x@example.com") == []


def test_lookup_ignores_the_comma_of_surname_first_names(shop, make, today):
    noah = make.customer("Noah Gauthier")
    assert [r.id for r in shop.lookup("gauthier noah", today)] == [noah]
    assert [r.id for r in shop.lookup("Gauthier, Noah", today)] == [noah]
    assert [r.id for r in shop.lookup("Gauthier; N.", today)] == [noah]


def test_a_promise_to_someone_new_creates_them_and_the_promise_together(shop, today):
    customer_id, promise_id = shop.add_promise_to_new(NewCustomer("Lise Neuve", ["06 99 88 77 66"]), "call back", today, today)
    assert shop.promise(promise_id).customer_id == customer_id
    assert shop.card(customer_id, today).phones == ["06 99 88 77 66"]
    with pytest.raises(InputError):
        shop.add_promise_to_new(NewCustomer("Other"), "", today, today)
    assert shop.count_customers() == 1


def test_new_customer_keeps_marketing_consent(shop, today):
    cid = shop.create_customer(NewCustomer("Zoé", marketing_consent=True, notes="likes tea"), today)
    card = shop.card(cid, today)
    assert card.marketing_consent and card.notes == "likes tea"
