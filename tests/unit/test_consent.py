"""Consent everywhere (issue 10, item 6): one rule for "do not contact", used by every call list
and every checklist section; call lists are for marketing and hold consenting customers only
unless the owner asks for everyone; a lifted do-not-contact brings the customer back."""
from datetime import timedelta

from shopkeeper.domain.contacts import list_purpose
from shopkeeper.store.call_lists import KINDS
from shopkeeper.store.writes import CustomerFields

CALL_SECTIONS = ("second_sale", "thank_referrer", "birthdays")


def _lists(shop, day, consent_only=True):
    return {kind: [r.id for r in shop.call_list(kind, day, words="teapot", days=90, consent_only=consent_only)]
            for kind in KINDS}


def _with(shop, cid, **fields):
    shop.update_customer(cid, CustomerFields(**fields))
    return cid


def _shop_where_everyone_qualifies(shop, make):
    """Pairs of customers, one of each pair do-not-contact, who qualify for every list and section."""
    next_month = (make.today.replace(day=1) + timedelta(days=32)).replace(day=10)
    soon = make.today + timedelta(days=2)
    people = {}
    for tag in ("ok", "dnc"):
        old = make.customer(f"Lapsed {tag}", phones=["06 11 22 33 4" + str(len(people))], on=make.ago(300))
        make.shop.log_sale(_sale(old, make.ago(200), 90_000, "blue teapot"))
        _with(shop, old, birthday=next_month.replace(year=1970), marketing_consent=True)
        new = make.buyer(f"Second {tag}", 20, cents=5_000)
        _with(shop, new, birthday=soon.replace(year=1980), marketing_consent=True)
        shop.add_family_date(new, "daughter's birthday", soon.replace(year=2015))
        make.buyer(f"Referee of {tag}", 3, referred_by=new)
        shop.add_promise(new, f"call {tag} about the teapot", make.today, make.ago(2))
        people[tag] = (old, new)
    for n in range(10):  # small spenders, so both lapsed customers are in the top 20%
        make.buyer(f"Small {n}", 5, cents=100)
    for cid in people["dnc"]:
        shop.log_contact(cid, "do_not_contact", make.ago(1), "asked us to stop calling")
    return people


def _sale(cid, day, cents, item):
    from shopkeeper.services import SaleInput
    from shopkeeper.store.writes import LineInput

    return SaleInput(cents, day, customer_id=cid, lines=[LineInput(item, 1, cents)])


def _in_checklist(shop, day):
    checklist = shop.checklist(day)
    return {section: [item.customer_id for item in checklist.sections()[section]] for section in CALL_SECTIONS}


def test_do_not_contact_is_in_no_call_list_and_no_checklist_call_section(shop, make):
    people = _shop_where_everyone_qualifies(shop, make)
    (ok_old, ok_new), (dnc_old, dnc_new) = people["ok"], people["dnc"]
    lists, sections = _lists(shop, make.today), _in_checklist(shop, make.today)
    for kind in KINDS:
        assert ok_old in lists[kind], kind  # the list is built as it should be...
        assert dnc_old not in lists[kind] and dnc_new not in lists[kind], kind  # ...without them
    for section in CALL_SECTIONS:
        assert ok_new in sections[section], section
        assert dnc_new not in sections[section] and dnc_old not in sections[section], section
    # a promise is owed to them: still listed, but marked so nobody calls
    promises = {p.customer_id: p for p in shop.checklist(make.today).promises_due}
    assert promises[dnc_new].do_not_contact and not promises[ok_new].do_not_contact
    # lifted: back everywhere; a list for the day before the lift still leaves them out
    shop.lift_do_not_contact(dnc_old, make.today)
    shop.lift_do_not_contact(dnc_new, make.today)
    lists, sections = _lists(shop, make.today), _in_checklist(shop, make.today)
    assert all(dnc_old in lists[kind] for kind in KINDS)
    assert all(dnc_new in sections[section] for section in CALL_SECTIONS)
    assert dnc_new not in _in_checklist(shop, make.ago(1))["second_sale"]


def test_call_lists_hold_consenting_customers_unless_asked(shop, make):
    people = _shop_where_everyone_qualifies(shop, make)
    ok_old = people["ok"][0]
    _with(shop, ok_old, marketing_consent=False)
    assert all(ok_old not in ids for ids in _lists(shop, make.today).values())
    everyone = _lists(shop, make.today, consent_only=False)
    assert all(ok_old in everyone[kind] for kind in KINDS)
    rows = {r.id: r for r in shop.call_list("lapsed", make.today, consent_only=False)}
    assert rows[ok_old].marketing_consent is False
    assert people["dnc"][0] not in rows  # asking for everyone never brings back do-not-contact


def test_a_rebuilt_list_knows_who_was_called_from_it_today(shop, make):
    people = _shop_where_everyone_qualifies(shop, make)
    ok_old = people["ok"][0]
    ids = [r.id for r in shop.call_list("lapsed", make.today)]
    shop.log_contact(ok_old, "no_answer", make.today, purpose=list_purpose("lapsed"))
    assert shop.called_from_list("lapsed", ids, make.today) == {ok_old}
    assert shop.called_from_list("quiet", ids, make.today) == set()
    assert shop.called_from_list("lapsed", ids, make.today + timedelta(days=1)) == set()


def test_the_card_says_do_not_contact_until_lifted(shop, make):
    cid = make.buyer("Private", 20)
    shop.log_contact(cid, "do_not_contact", make.ago(3))
    assert shop.card(cid, make.today).do_not_contact_since == make.ago(3)
    shop.lift_do_not_contact(cid, make.today)
    assert shop.card(cid, make.today).do_not_contact_since is None
    assert shop.card(cid, make.ago(1)).do_not_contact_since == make.ago(3)
