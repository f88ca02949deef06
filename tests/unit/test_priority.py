"""Ranking of due second-sale calls: spend, items, full price, referral, reachability, with reasons."""
from shopkeeper.domain.second_sale import FirstPurchase, priority


def ranked(shop, make):
    return [item.name for item in shop.checklist(make.today).second_sale]


def test_higher_first_day_spend_first(shop, make):
    make.buyer("Small", 20, cents=1000)
    make.buyer("Big", 20, cents=15000)
    assert ranked(shop, make) == ["Big", "Small"]


def test_more_items_first(shop, make):
    one = make.customer("One item", phones=["0611111111"], on=make.ago(20))
    many = make.customer("Four items", phones=["0622222222"], on=make.ago(20))
    make.sale(one, make.ago(20), 3000, items=1)
    make.sale(many, make.ago(20), 3000, items=4)
    assert ranked(shop, make) == ["Four items", "One item"]


def test_full_price_before_on_sale(shop, make):
    sale = make.customer("On sale", phones=["0611111111"], on=make.ago(20))
    full = make.customer("Full price", phones=["0622222222"], on=make.ago(20))
    make.sale(sale, make.ago(20), 3000, on_sale=True)
    make.sale(full, make.ago(20), 3000, on_sale=False)
    assert ranked(shop, make) == ["Full price", "On sale"]


def test_partly_on_sale_counts_as_full_price(shop, make):
    cid = make.customer("Mixed", phones=["0611111111"], on=make.ago(20))
    make.sale(cid, make.ago(20), 3000, on_sale=True)
    make.sale(cid, make.ago(20), 1000, on_sale=False)
    (item,) = shop.checklist(make.today).second_sale
    assert "bought at full price (+10)" in item.reasons


def test_referred_before_not_referred(shop, make):
    rita = make.customer("Rita", phones=["0699999999"])
    make.buyer("Plain", 20, phones=["0611111111"])
    make.buyer("Referred", 20, phones=["0622222222"], referred_by=rita)
    assert ranked(shop, make) == ["Referred", "Plain"]
    item = shop.checklist(make.today).second_sale[0]
    assert "referred by Rita (+15)" in item.reasons


def test_unreachable_listed_last_and_flagged_even_with_big_spend(shop, make):
    make.buyer("Ghost", 20, cents=500_000, phones=())
    make.buyer("Email only", 20, cents=1000, phones=(), email="e@example.com")
    make.buyer("Phone", 20, cents=1000)
    items = shop.checklist(make.today).second_sale
    assert [i.name for i in items][-1] == "Ghost"
    ghost = items[-1]
    assert ghost.reachable is False
    assert any("no phone or email" in reason for reason in ghost.reasons)
    assert all(i.reachable for i in items[:-1])


def test_reasons_explain_each_point(shop, make):
    cid = make.customer("Reasoned", phones=["0611111111"], on=make.ago(20))
    make.sale(cid, make.ago(20), 4999, items=3)
    (item,) = shop.checklist(make.today).second_sale
    assert item.reasons[0].startswith("spent 49.99 EUR on first visit (+")
    assert "3 items (+6)" in item.reasons
    assert "bought at full price (+10)" in item.reasons
    points = sum(int(r.rsplit("(", 1)[1].rstrip(")")) for r in item.reasons)
    assert points == item.priority


def test_priority_sorted_descending(shop, make):
    for n, cents in enumerate([500, 90000, 2500, 12000, 100]):
        make.buyer(f"P{n}", 15 + n, cents=cents, phones=[f"06000000{n:02d}"])
    scores = [i.priority for i in shop.checklist(make.today).second_sale]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5


def test_priority_function_is_monotonic_in_spend(today):
    def score(cents):
        return priority(FirstPurchase(1, "x", "06", "", today, cents, 1, False, None))[0]

    assert score(1000) < score(5000) < score(50000)


def test_scores_shown_are_between_0_and_100(today):
    """No "★-941" (the unreachable penalty) and no four-digit score for a very large first sale."""
    def score(cents, phone="06", items=30, referred="Rita"):
        return priority(FirstPurchase(1, "x", phone, "", today, cents, items, False, referred))

    for cents in (0, 100, 5_000, 1_234_567, 10**12):
        for phone in ("06", ""):
            points, reasons = score(cents, phone)
            assert 0 <= points <= 100, (cents, phone, points)
    points, reasons = score(10**12, "")
    assert points == 100 and "no phone or email: listed last" in reasons
