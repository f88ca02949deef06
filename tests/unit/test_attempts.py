"""A call that did not reach anyone is an attempt (issue 10, item 5): the row stays, says
"tried 2× · left message Tue", and the day's "done" count does not go up."""
from datetime import timedelta

from shopkeeper.domain.contacts import attempt_text


def test_attempts_keep_the_row_and_show_on_it(shop, make):
    cid = make.buyer("Tried", 20)
    before = shop.checklist(make.today).done_today
    shop.log_contact(cid, "no_answer", make.ago(2), purpose="second_sale", subject_id=cid)
    shop.log_contact(cid, "left_message", make.today, "call back after 5", purpose="second_sale", subject_id=cid)
    checklist = shop.checklist(make.today)
    (row,) = checklist.second_sale
    assert (row.attempts, row.last_attempt, row.last_attempt_on) == (2, "left_message", make.today)
    assert checklist.done_today == before
    assert attempt_text(row.attempts, row.last_attempt, row.last_attempt_on, make.today + timedelta(days=1)) == \
        f"tried 2× · left message {make.today:%a}"
    shop.log_contact(cid, "reached", make.today, purpose="second_sale", subject_id=cid)
    after = shop.checklist(make.today)
    assert after.second_sale == [] and after.done_today == before + 1


def test_a_referrer_left_a_message_is_still_to_thank(shop, make):
    rita = make.buyer("Rita", 200)
    make.buyer("Friend", 3, referred_by=rita)
    (thank,) = shop.checklist(make.today).thank_referrer
    shop.log_contact(rita, "left_message", make.today, purpose="thank_referrer", subject_id=thank.referral_id)
    (still,) = shop.checklist(make.today).thank_referrer
    assert (still.customer_id, still.attempts, still.last_attempt) == (rita, 1, "left_message")


def test_attempts_on_a_promise_and_a_birthday(shop, make):
    from shopkeeper.store.writes import CustomerFields

    cid = make.buyer("Bea", 400)
    shop.update_customer(cid, CustomerFields(birthday=(make.today + timedelta(days=1)).replace(year=1980)))
    pid = shop.add_promise(cid, "call back", make.today, make.ago(1))
    shop.log_contact(cid, "no_answer", make.today, purpose="promise", subject_id=pid)
    shop.log_contact(cid, "no_answer", make.today, purpose="birthday", subject_id=cid)
    checklist = shop.checklist(make.today)
    assert checklist.promises_due[0].attempts == 1
    assert checklist.birthdays[0].attempts == 1
    assert f"tried 1× · no answer {make.today:%a}" == attempt_text(1, "no_answer", make.today, make.today)
    assert "tried 3× · no answer 20 Feb" == attempt_text(3, "no_answer", make.ago(10), make.today)
