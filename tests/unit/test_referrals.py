"""Referrals: at most one referrer; "thank the referrer" when the referred customer first buys."""
import pytest

from shopkeeper.domain.errors import InputError


@pytest.fixture
def rita(make):
    return make.customer("Rita Referrer", phones=["06 99 99 99 99"])


def thanks(shop, day):
    return [(t.customer_id, t.referee_id) for t in shop.checklist(day).thank_referrer]


def test_thank_appears_when_the_referred_customer_first_buys(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(10))
    assert thanks(shop, make.today) == []
    make.sale(ned, make.ago(2), 1500)
    assert thanks(shop, make.today) == [(rita, ned)]
    assert thanks(shop, make.ago(3)) == []
    (item,) = shop.checklist(make.today).thank_referrer
    assert (item.name, item.phone, item.referee_name, item.first_purchase_on) == (
        "Rita Referrer", "06 99 99 99 99", "Ned New", make.ago(2))


def test_thank_stays_for_thank_referrer_days_then_goes(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(40))
    make.sale(ned, make.ago(30), 1500)
    assert thanks(shop, make.today) == [(rita, ned)]
    assert thanks(shop, make.ago(-1)) == []


def test_only_the_first_purchase_triggers_a_thank(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(100))
    make.sale(ned, make.ago(100), 1500)
    make.sale(ned, make.ago(1), 1500)
    assert thanks(shop, make.today) == []


def test_thank_closed_by_a_contact_about_it(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(10))
    make.sale(ned, make.ago(2), 1500)
    (item,) = shop.checklist(make.today).thank_referrer
    shop.log_contact(rita, "no_answer", make.today, purpose="thank_referrer", subject_id=item.referral_id)
    assert thanks(shop, make.today) == [(rita, ned)]
    shop.log_contact(rita, "reached", make.today, purpose="thank_referrer", subject_id=item.referral_id)
    assert thanks(shop, make.today) == []
    assert thanks(shop, make.ago(1)) == [(rita, ned)]


def test_thank_closed_or_snoozed_by_hand(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(10))
    make.sale(ned, make.ago(2), 1500)
    (item,) = shop.checklist(make.today).thank_referrer
    shop.snooze("thank_referrer", item.referral_id, rita, make.today, make.ago(-2))
    assert thanks(shop, make.today) == []
    assert thanks(shop, make.ago(-2)) == [(rita, ned)]
    shop.close_follow_up("thank_referrer", item.referral_id, rita, make.ago(-2))
    assert thanks(shop, make.ago(-2)) == []


def test_card_shows_both_directions(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(10))
    make.sale(ned, make.ago(2), 1500)
    card = shop.card(rita, make.today)
    assert [(r.customer_id, r.name, r.has_bought) for r in card.referrals] == [(ned, "Ned New", True)]
    ned_card = shop.card(ned, make.today)
    assert (ned_card.referred_by.customer_id, ned_card.referred_by.referred_on) == (rita, make.ago(10))


def test_a_customer_has_at_most_one_referrer(shop, make, rita):
    other = make.customer("Other Referrer")
    ned = make.customer("Ned New", referred_by=rita, on=make.ago(10))
    make.sale(ned, make.ago(2), 1500)
    assert shop.card(rita, make.today).level == 3
    shop.set_referrer(ned, other, make.ago(1))
    assert shop.card(ned, make.today).referred_by.customer_id == other
    assert shop.card(rita, make.today).referrals == []
    assert shop.card(rita, make.today).level == 0  # no longer an advocate
    assert shop.card(other, make.today).level == 3


def test_referral_mistakes_are_refused(shop, make, rita):
    ned = make.customer("Ned New", referred_by=rita)
    with pytest.raises(InputError):
        shop.set_referrer(ned, ned, make.today)
    with pytest.raises(InputError):
        shop.set_referrer(rita, ned, make.today)  # a circle
    with pytest.raises(InputError):
        shop.set_referrer(ned, 9999, make.today)
    with pytest.raises(InputError):
        make.customer("Bad", referred_by=9999)
    assert shop.card(ned, make.today).referred_by.customer_id == rita
    assert shop.count_customers() == 2
