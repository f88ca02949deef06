"""A realistic, deterministic sample shop for a first look, tests and screenshots.

A small tea-and-gift shop over two years before `today`: a few hundred customers with varied
names and phone formats, seasonal sales (December busy, August quiet), one-timers and regulars,
promises kept, missed and open, referrals, birthdays and family dates, contacts and feedback.
The same seed and day always give the same shop.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from .domain.text import fold
from .services import Shop
from .store.figures import refresh_figures
from .store import writes
from .store.writes import CustomerFields, LineInput

FIRST = [
    "Zoé", "Lucas", "Léa", "Hugo", "Chloé", "Louis", "Camille", "Gabriel", "Manon", "Jules", "Inès", "Arthur",
    "Sarah", "Nathan", "Emma", "Noah", "Jade", "Adam", "Alice", "Raphaël", "Lina", "Tom", "Rose", "Paul",
    "Mohamed", "Fatima", "Yasmine", "Karim", "Amina", "Mei", "Hiroshi", "Olga", "Piotr", "Siobhan", "Björn",
    "María José", "João", "Anaïs", "Élodie", "François", "Margaux", "Théo", "Clémence", "Bastien", "Agnès",
]
LAST = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Benali", "Nguyen", "Kowalski", "O'Brien", "Müller", "Da Silva", "Lemaire", "Giraud", "Chevalier", "Faure",
    "Rousseau", "Blanc", "Guérin", "Boyer", "Gauthier", "Perrin", "Morel", "Mercier", "Dupont", "Lambert",
]
CATALOGUE = [
    ("Earl Grey 100 g", 850), ("Sencha 100 g", 1200), ("Rooibos vanilla 100 g", 790), ("Teapot, cast iron", 4900),
    ("Gift box", 2900), ("Matcha 30 g", 1850), ("Cup & saucer", 1450), ("Honey jar", 990), ("Chai mix 200 g", 1390),
    ("Infuser", 690), ("Advent calendar", 3500), ("Oolong 50 g", 1650), ("Biscuits", 550), ("Tea towel", 1200),
]
LIKES = ["green teas", "smoky teas", "anything with vanilla", "gift wrapping", "new arrivals", "organic", "strong black tea"]
DISLIKES = ["too much packaging", "bergamot", "sweet blends", "being called at work"]
NOTES = [
    "Buys for her mother every Christmas.", "Runs the bakery on Rue Haute.", "Prefers loose leaf.",
    "Asked about tasting evenings.", "Allergic to nuts.", "Teacher at the primary school.", "",
]
PROMISES = [
    "Call when the new Darjeeling arrives", "Put aside a cast-iron teapot", "Send the gift-box price list",
    "Order the blue cup set", "Invite to the tasting evening", "Check the matcha restock date",
]
SEASON = {1: 0.8, 2: 0.8, 3: 0.9, 4: 0.9, 5: 1.0, 6: 0.9, 7: 0.7, 8: 0.5, 9: 0.9, 10: 1.0, 11: 1.3, 12: 2.0}


def _phone(rng: random.Random) -> str:
    digits = "0" + rng.choice("67") + "".join(rng.choice("0123456789") for _ in range(8))
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    style = rng.randrange(5)
    if style == 0:
        return " ".join(pairs)
    if style == 1:
        return "+33 " + digits[1] + " " + " ".join(pairs[1:])
    if style == 2:
        return digits
    if style == 3:
        return ".".join(pairs)
    return "+33" + digits[1:]


def _seasonal_day(rng: random.Random, start: date, end: date) -> date:
    span = (end - start).days
    while True:
        day = start + timedelta(days=rng.randrange(span + 1))
        if rng.random() < SEASON[day.month] / 2.0 and day.weekday() != 6:
            return day


def _basket(rng: random.Random, on_sale: bool, taste: float = 1.0) -> tuple[int, list[LineInput]]:
    """A basket; `taste` is the customer's own scale (some buy a tin, some buy for the office)."""
    lines = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        description, price = rng.choice(CATALOGUE)
        if on_sale:
            price = price * 8 // 10
        lines.append(LineInput(description, max(1, round(rng.choice([1, 1, 1, 2]) * taste)), price))
    return sum(line.quantity * (line.unit_price_cents or 0) for line in lines), lines


def build_demo(shop: Shop, today: date, customers: int = 320, seed: int = 7) -> None:
    """Fill an empty shop with the sample; one transaction, so it is all there or not at all."""
    rng = random.Random(seed)
    start = today - timedelta(days=730)
    region = shop.settings.phone_region
    with shop.writing() as session:
        writes.save_settings(session, {"shop_name": "The Tea Corner", "currency": "EUR", "phone_region": "FR",
                                      "margin_percent": "45",  # so the Insights Profit tab has figures to show
                                      "demo": "yes"})  # the app shows its DEMO band
        ids: list[int] = []
        firsts: dict[int, date] = {}
        tastes: dict[int, float] = {}
        for index in range(customers):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            kind = rng.random()
            if index < 24:  # a guaranteed crop of first-timers inside the second-sale window
                first = today - timedelta(days=rng.randrange(14, 88))
            elif index < 34:  # and some still too fresh for a call
                first = today - timedelta(days=rng.randrange(0, 13))
            else:
                first = _seasonal_day(rng, start, today - timedelta(days=1))
            phones = [_phone(rng)] if rng.random() < 0.85 else []
            if phones and rng.random() < 0.1:
                phones.append(_phone(rng))
            email = ""
            if rng.random() < 0.55:
                email = f"{fold(name).replace(' ', '.').replace(chr(39), '')}{rng.randrange(100)}@example.com"
            birthday = None
            if index % 40 == 5:  # a few birthdays this week
                birthday = date(rng.randrange(1950, 2000), 1, 1)
                soon = today + timedelta(days=rng.randrange(0, 7))
                birthday = birthday.replace(month=soon.month, day=min(soon.day, 28))
            elif rng.random() < 0.4:
                birthday = date(rng.randrange(1945, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
            fields = CustomerFields(
                name=name,
                phones=phones,
                email=email,
                notes=rng.choice(NOTES),
                likes=rng.choice(LIKES) if rng.random() < 0.5 else "",
                dislikes=rng.choice(DISLIKES) if rng.random() < 0.2 else "",
                birthday=birthday,
                preferred_channel=rng.choice(["phone", "phone", "sms", "email", ""]),
                marketing_consent=rng.random() < 0.7,
                household="The " + name.split()[-1] + " family" if rng.random() < 0.08 else None,
            )
            cid = writes.create_customer(session, fields, region, min(first, today))
            ids.append(cid)
            firsts[cid] = first
            if rng.random() < 0.06:
                writes.add_family_date(session, cid, rng.choice(["daughter's birthday", "wedding anniversary", "son's birthday"]),
                                       date(rng.randrange(1990, 2020), rng.randrange(1, 13), rng.randrange(1, 29)))
            # purchases: the first, then more for repeat customers
            taste = rng.lognormvariate(0, 0.6)
            tastes[cid] = taste
            visits = [first]
            if index >= 34 and kind > 0.45:
                extra = rng.randrange(1, 4) if kind < 0.8 else rng.randrange(4, 14)
                for _ in range(extra):
                    if first < today - timedelta(days=2):
                        visits.append(_seasonal_day(rng, first + timedelta(days=1), today - timedelta(days=1)))
            for visit in visits:
                on_sale = rng.random() < 0.2
                amount, lines = _basket(rng, on_sale, taste)
                writes.insert_sale(session, cid, visit, amount, item_count=sum(l.quantity for l in lines),
                                   on_sale=on_sale, lines=lines, refresh=False)
            if rng.random() < 0.04:  # a refund
                writes.insert_sale(session, cid, visits[-1], -rng.choice([550, 850, 1200]), item_count=1, refresh=False)
        # walk-ins with no customer
        for _ in range(60):
            amount, lines = _basket(rng, False)
            writes.insert_sale(session, None, _seasonal_day(rng, start, today), amount,
                               item_count=sum(l.quantity for l in lines), lines=lines, refresh=False)
        refresh_figures(session, ids)
        # referrals: later customers referred by earlier ones
        for cid in ids[40:]:
            if rng.random() < 0.14:
                referrer = rng.choice(ids[34 : ids.index(cid)] or ids[:1])
                if firsts[referrer] <= firsts[cid]:
                    writes.set_referral(session, cid, referrer, firsts[cid])
        for cid in ids[:24:5]:  # some second-sale candidates came through a referral
            writes.set_referral(session, cid, rng.choice(ids[40:] or ids[24:]), firsts[cid])
        # promises: kept on time, kept late, missed, open, some due today or overdue
        for n in range(36):
            cid = rng.choice(ids)
            made = today - timedelta(days=rng.randrange(1, 200))
            due = made + timedelta(days=rng.randrange(2, 21))
            pid = writes.add_promise(session, cid, rng.choice(PROMISES), made, due)
            promise = session.get(writes.Promise, pid)
            roll = n % 6
            if due < today and roll in (0, 1):
                promise.status, promise.closed_on = "kept", due - timedelta(days=rng.randrange(0, 2))
            elif due < today and roll == 2:
                promise.status, promise.closed_on = "kept", min(today, due + timedelta(days=rng.randrange(1, 6)))
            elif due < today - timedelta(days=10) and roll == 3:
                promise.status, promise.closed_on = "missed", due + timedelta(days=7)
            elif due < today - timedelta(days=12):  # the owner keeps most promises
                promise.status, promise.closed_on = "kept", due
            session.add(promise)
        for cid in ids[:3]:
            writes.add_promise(session, cid, rng.choice(PROMISES), today - timedelta(days=5), today)
        for late, cid in zip((2, 4, 9), ids[40:43]):
            writes.add_promise(session, cid, rng.choice(PROMISES), today - timedelta(days=late + 7), today - timedelta(days=late))
        # contact history and feedback
        for cid in rng.sample(ids[34:], min(60, len(ids[34:]))):
            day = firsts[cid] + timedelta(days=rng.randrange(14, 40))
            if day < today:
                outcome = rng.choice(["reached", "no_answer", "left_message", "bought"])
                writes.add_contact(session, cid, day, outcome,
                                   rng.choice(["Liked the Sencha.", "Will come on Saturday.", "", "Asked for the price list."]),
                                   purpose="second_sale")
                comes_back = day + timedelta(days=rng.randrange(1, 25))
                if outcome in ("reached", "bought") and rng.random() < 0.6 and comes_back < today:
                    amount, lines = _basket(rng, False, tastes[cid])  # a good call brings them back
                    writes.insert_sale(session, cid, comes_back, amount, item_count=sum(l.quantity for l in lines),
                                       lines=lines, refresh=False)
        for cid in rng.sample(ids[34:], min(25, len(ids[34:]))):
            day = min(today, firsts[cid] + timedelta(days=rng.randrange(1, 60)))
            score = rng.choice([3, 4, 5, 5])
            writes.add_feedback(session, cid, day, score, rng.choice(["Lovely shop!", "Great advice.", "Good tea, fair prices."]),
                                testimonial_ok=score == 5 and rng.random() < 0.5)
        refresh_figures(session, ids)
    shop.reload_settings()
