"""Referral asks and keep in touch (issue 14, items 2 and 3), as of a chosen day."""
from shopkeeper.store.writes import CustomerFields


def _consent(shop, *ids):
    for cid in ids:
        shop.update_customer(cid, CustomerFields(marketing_consent=True))


def _rows(shop, kind, day, **kw):
    return {row.id: row.reason for row in shop.call_list(kind, day, **kw)}


def test_referral_asks_are_satisfied_repeat_customers_who_never_referred(shop, make):
    regular = make.buyer("Rob Regular", 100)
    make.sale(regular, make.ago(50), 1000)
    make.sale(regular, make.ago(10), 1000)
    fan = make.buyer("Fay Fan", 100)
    shop.add_feedback(fan, 5, "love it", False, make.ago(20))
    unhappy = make.buyer("Ursula Unhappy", 100)
    make.sale(unhappy, make.ago(50), 1000)
    make.sale(unhappy, make.ago(10), 1000)
    shop.add_feedback(unhappy, 2, "too dear", False, make.ago(5))
    referrer = make.buyer("Rex Referrer", 100)
    make.sale(referrer, make.ago(50), 1000)
    make.sale(referrer, make.ago(40), 1000)
    make.buyer("Friend of Rex", 30, referred_by=referrer)
    once = make.buyer("Olga Once", 100)
    _consent(shop, regular, fan, unhappy, referrer, once)
    rows = _rows(shop, "referral-ask", make.today)
    assert rows == {regular: "3 visits · never referred anyone",
                    fan: f"5★ feedback on {make.ago(20).isoformat()} · 1 visit · never referred anyone"}
    # as of 20 days ago Rob had two visits, Fay no feedback, Ursula no complaint yet; Rex's friend came later
    assert set(_rows(shop, "referral-ask", make.ago(20))) == {fan}
    assert set(_rows(shop, "referral-ask", make.ago(31))) == {referrer}


def test_keep_in_touch_lists_consented_customers_not_in_touch_for_n_days(shop, make):
    shop.save_settings({"keep_in_touch_days": "60"})
    quiet = make.buyer("Quentin Quiet", 100)
    called = make.buyer("Cara Called", 100)
    shop.log_contact(called, "reached", make.ago(30))
    tried = make.buyer("Tim Tried", 100)
    shop.log_contact(tried, "no_answer", make.ago(30))  # a try does not keep in touch
    buying = make.buyer("Bea Buying", 100)
    make.sale(buying, make.ago(10), 500)
    no_consent = make.buyer("Nils Noconsent", 100)
    _consent(shop, quiet, called, tried, buying)
    rows = _rows(shop, "keep-in-touch", make.today)
    assert rows == {quiet: f"not in touch for 100 days (last bought {make.ago(100).isoformat()})",
                    tried: f"not in touch for 100 days (last bought {make.ago(100).isoformat()})"}
    assert no_consent in _rows(shop, "keep-in-touch", make.today, consent_only=False)
    assert _rows(shop, "keep-in-touch", make.ago(45)) == {}  # 55 days after the first sales: not yet
    # as of 15 days ago Bea's purchase 10 days ago had not happened: she was quiet then
    assert set(_rows(shop, "keep-in-touch", make.ago(15))) == {quiet, tried, buying}


def test_the_checklist_offers_at_most_m_a_day_and_only_when_turned_on(shop, make):
    ids = [make.buyer(f"Silent {n}", 200 - n) for n in range(4)]
    _consent(shop, *ids)
    assert shop.checklist(make.today).keep_in_touch == []  # off by default (0 a day)
    shop.save_settings({"keep_in_touch_per_day": "2"})
    offered = shop.checklist(make.today).keep_in_touch
    assert [item.customer_id for item in offered] == ids[:2]  # the longest silent first
    assert offered[0].days_silent == 200
    shop.log_contact(ids[0], "reached", make.today, purpose="keep_in_touch", subject_id=ids[0])
    assert [item["customer_id"] for item in shop.checklist(make.today).to_json()["keep_in_touch"]] == ids[1:3]
    shop.close_follow_up("keep_in_touch", ids[1], ids[1], make.today)  # x: done for this round
    assert [item.customer_id for item in shop.checklist(make.today).keep_in_touch] == ids[2:4]
    assert set(_rows(shop, "keep-in-touch", make.today)) == set(ids[2:4])  # the list agrees


def test_keep_in_touch_per_day_setting_is_checked(shop):
    import pytest

    from shopkeeper.domain.errors import InputError

    shop.save_settings({"keep_in_touch_per_day": "3"})
    shop.save_settings({"keep_in_touch_per_day": "0"})  # 0 turns the section off
    assert shop.settings.keep_in_touch_per_day == 0
    with pytest.raises(InputError, match="0 \\(off\\) to 100"):
        shop.save_settings({"keep_in_touch_per_day": "101"})
    assert shop.settings.keep_in_touch_per_day == 0
