"""A large synthetic shop, deterministic by seed: `python -m benchmarks.generate --scale 1 --out shop.sqlite3`.

At scale 1: 100,000 customers, 1,000,000 sales over five years, 20,000 promises, 10,000 referrals,
50,000 contact log entries (plus birthdays, family dates and a few testimonials). Names collide
the way real ones do (a few hundred first and last names, plus made-up surnames), phone numbers are
written every way people write them, some walk-in sales have no customer and a few are refunds.

Speed: the schema comes from `Shop.open` (the migrations); rows go in with raw sqlite3
`executemany` in big transactions, then the kept aggregates are made exact by the same
`refresh_figures` every write uses, over all customers.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 4
END = date(2026, 3, 2)  # the shop's last day: the benchmark's fixed "today" (a Monday)
YEARS = 5
START = END - timedelta(days=365 * YEARS)

FULL = {"customers": 100_000, "sales": 1_000_000, "promises": 20_000, "referrals": 10_000, "contacts": 50_000}

FIRST = (
    "Zoé Lucas Léa Hugo Chloé Louis Camille Gabriel Manon Jules Inès Arthur Sarah Nathan Emma Noah Jade Adam "
    "Alice Raphaël Lina Tom Rose Paul Mohamed Fatima Yasmine Karim Amina Mei Hiroshi Olga Piotr Siobhan Björn "
    "João Anaïs Élodie François Margaux Théo Clémence Bastien Agnès Marie Jean Pierre Michel Nathalie Isabelle "
    "Sylvie Catherine Philippe Alain Nicolas Christophe Stéphane Sandrine Valérie Céline Julien Laurent David "
    "Sophie Aurélie Thomas Maxime Antoine Kevin Pauline Julie Laura Mathilde Lucie Océane Clara Anna Eva Louise "
    "Ahmed Youssef Rachid Nadia Leila Samir Ali Omar Ibrahim Aïcha Wei Li Chen Hana Yuki Kenji Anh Minh Duc "
    "Ewa Anna-Maria Jan Marek Ivan Dmitri Sven Ingrid Lars Niamh Seán Aoife Ciarán Mário Inês-Sofia Ana Luís "
    "Carmen José María Pilar Javier Lucía Giulia Marco Luca Francesca Chiara Matteo Hans Jürgen Greta Lena "
    "Jean-Pierre Marie-Claire Anne-Sophie Jean-Luc Pierre-Yves Léo Maël Timéo Nolan Elsa Romane Ambre Lou"
).split()
LAST = [name.replace("_", " ") for name in (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia "
    "David Bertrand Roux Vincent Fournier Benali Nguyen Kowalski O'Brien Müller Lemaire Giraud Chevalier Faure "
    "Rousseau Blanc Guérin Boyer Gauthier Perrin Morel Mercier Dupont Lambert Bonnet François Martinez Legrand "
    "Garnier Faure André Mercier Dupuis Roussel Lucas Henry Rivière Brun Noël Meyer Dufour Blanchard Barbier "
    "Arnaud Gaillard Brunet Roche Renard Colin Schmitt Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix "
    "Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean "
    "Dupuy Guillot Hubert Berger Carpentier Sanchez Dupré Moulin Louis Deschamps Huet Vasseur Perez Boucher "
    "Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard "
    "Maillard Baron Bertin Bailly Hervé Schneider Fernandez Le_Gall Collet Léger Bouvier Julien Prévost Millet "
    "Perrot Daniel Le_Roux Cousin Germain Breton Besson Langlois Rémy Le_Goff Pelletier Lévêque Perrier Leblanc "
    "Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne "
    "Grondin Poulain Tessier Chevallier Collin Chauvin Da_Silva Bouchet Gay Lemaître Bénard Maréchal Humbert "
    "Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier "
    "Laporte Ben_Amor El_Idrissi Haddad Chen Wang Tran Pham Yilmaz Kaya Novak Nowak Silva Santos Ferreira Costa"
).split()]
SYLLABLES = "ba be bi bo ca co da de di do fa fe ga go la le li lo ma me mi mo na ne no pa pe ra re ri ro sa se ta te to va vi za".split()
ENDINGS = "rd t n l z ux ault ier eau in ot ard ski wicz ez son sen ic er".split()
DOMAINS = "gmail.com gmail.com gmail.com orange.fr orange.fr free.fr laposte.net hotmail.com yahoo.fr outlook.com icloud.com sfr.fr".split()
OUTCOMES = ["reached"] * 5 + ["no_answer"] * 3 + ["left_message"] * 2 + ["bought", "declined"]
CHANNELS = ["phone"] * 6 + ["sms"] * 2 + ["email", "visit"]
PROMISE_TEXTS = [
    "Call when the new Darjeeling arrives", "Put aside a cast-iron teapot", "Send the gift-box price list",
    "Order the blue cup set", "Invite to the tasting evening", "Check the matcha restock date",
    "Keep a size 38 in the red", "Ring when the repair is done", "Send photos of the new collection",
]
FAMILY = ["daughter's birthday", "son's birthday", "wedding anniversary", "husband's birthday", "wife's birthday"]
# busier in December, quieter in August; Sundays closed
SEASON = {1: 0.8, 2: 0.8, 3: 0.9, 4: 0.9, 5: 1.0, 6: 0.9, 7: 0.7, 8: 0.5, 9: 0.9, 10: 1.0, 11: 1.3, 12: 2.0}


@dataclass
class ShopInfo:
    """What the benchmark needs to know about a generated shop."""

    path: str
    scale: float
    seed: int
    today: str
    customers: int
    sales: int
    promises: int
    referrals: int
    contacts: int
    seconds: float


def counts_for(scale: float) -> dict[str, int]:
    return {key: max(1, round(value * scale)) for key, value in FULL.items()}


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.65:
        return rng.choice(LAST)
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3)))) + rng.choice(ENDINGS)
    return name.capitalize()


def _phone(rng: random.Random) -> str:
    """A number written one of the ways people write them (mostly French, some foreign)."""
    kind = rng.random()
    if kind < 0.06:  # foreign numbers
        choice = rng.randrange(3)
        if choice == 0:
            return f"+44 7{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"
        if choice == 1:
            return f"+1 ({rng.randrange(201, 989)}) {rng.randrange(200, 999)}-{rng.randrange(0, 10000):04d}"
        return f"+49 15{rng.randrange(1, 9)} {rng.randrange(10000000, 99999999)}"
    lead = "0" + (rng.choice("67") if kind < 0.85 else rng.choice("12345"))
    digits = lead + "".join(rng.choice("0123456789") for _ in range(8))
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    style = rng.randrange(7)
    if style == 0:
        return " ".join(pairs)
    if style == 1:
        return "+33 " + digits[1] + " " + " ".join(pairs[1:])
    if style == 2:
        return digits
    if style == 3:
        return ".".join(pairs)
    if style == 4:
        return "+33" + digits[1:]
    if style == 5:
        return "-".join(pairs)
    return "+33 (0)" + digits[1] + " " + " ".join(pairs[1:])


def _email(rng: random.Random, first: str, last: str, fold) -> str:
    local_first = fold(first).replace(" ", "").replace("'", "")
    local_last = fold(last).replace(" ", "").replace("'", "")
    style = rng.randrange(4)
    if style == 0:
        local = f"{local_first}.{local_last}"
    elif style == 1:
        local = f"{local_first[0]}{local_last}"
    elif style == 2:
        local = f"{local_first}{rng.randrange(1, 99)}"
    else:
        local = f"{local_last}.{local_first}{rng.randrange(1950, 2008)}"
    return f"{local}@{rng.choice(DOMAINS)}"


def _day_table() -> tuple[list[date], list[float]]:
    """Open days and their cumulative weights (season), for drawing sale days quickly."""
    days, cumulative, total = [], [], 0.0
    day = START
    while day <= END:
        if day.weekday() != 6:
            total += SEASON[day.month]
            days.append(day)
            cumulative.append(total)
        day += timedelta(days=1)
    return days, cumulative


def _draw_day(rng: random.Random, days: list[date], cumulative: list[float], lo: int = 0, hi: int | None = None) -> date:
    """A seasonal open day at index lo..hi (inclusive; hi defaults to the last day)."""
    hi = len(days) - 1 if hi is None else hi
    base = cumulative[lo - 1] if lo else 0.0
    x = base + rng.random() * (cumulative[hi] - base)
    return days[min(bisect.bisect_left(cumulative, x, lo, hi + 1), hi)]


def generate(path: Path, scale: float = 1.0, seed: int = 42, *, quiet: bool = False) -> ShopInfo:
    """Build the shop into `path` (which must not exist yet)."""
    from shopkeeper.domain.dates import month_day
    from shopkeeper.domain.phones import phone_keys
    from shopkeeper.domain.text import fold
    from shopkeeper.services import Shop
    from shopkeeper.store.db import writing
    from shopkeeper.store.figures import refresh_figures

    started = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(f"  [{time.perf_counter() - started:6.1f} s] {message}", flush=True)

    path = Path(path)
    counts = counts_for(scale)
    rng = random.Random(seed)
    shop = Shop.open(path)  # the schema, through the migrations
    region = shop.settings.phone_region
    shop.close()
    days, cumulative = _day_table()
    index_of = {d: i for i, d in enumerate(days)}
    n_customers = counts["customers"]

    # customers: about 8% prospects with no purchase yet; the rest have a first-purchase day
    customers, phones, family = [], [], []
    first_day: list[date | None] = []
    shared_phones: list[str] = []
    for cid in range(1, n_customers + 1):
        first, last = rng.choice(FIRST), _surname(rng)
        name = f"{first} {last}"
        if rng.random() < 0.03:
            name = f"{last.upper()} {first}"  # how some tills write names
        buyer = rng.random() >= 0.08
        fday = _draw_day(rng, days, cumulative) if buyer else None
        first_day.append(fday)
        created = fday or days[rng.randrange(len(days))]
        email = _email(rng, first, last, fold) if rng.random() < 0.65 else None
        birthday = None
        if rng.random() < 0.3:
            birthday = date(rng.randrange(1940, 2008), rng.randrange(1, 13), rng.randrange(1, 29))
        customers.append((
            cid, name, fold(name), email, fold(email) if email else None, "", "", "",
            birthday.isoformat() if birthday else None, month_day(birthday) if birthday else None,
            rng.choice(["", "", "phone", "sms", "email"]), rng.random() < 0.4, created.isoformat(),
        ))
        if rng.random() < 0.9:
            count = 2 if rng.random() < 0.1 else 1
            for _ in range(count):
                if shared_phones and rng.random() < 0.01:
                    raw = rng.choice(shared_phones)  # a household sharing one number
                else:
                    raw = _phone(rng)
                    if len(shared_phones) < 5000:
                        shared_phones.append(raw)
                phones.append((cid, raw))
        if rng.random() < 0.05:
            on = date(rng.randrange(1950, 2024), rng.randrange(1, 13), rng.randrange(1, 29))
            family.append((cid, rng.choice(FAMILY), on.isoformat(), month_day(on)))
    say(f"{n_customers:,} customers drawn")
    keyed_phones = []
    cache: dict[str, tuple[str, str, str]] = {}
    for cid, raw in phones:
        keys = cache.get(raw)
        if keys is None:
            k = phone_keys(raw, region)
            keys = cache[raw] = (k.national, k.e164, k.reversed_digits)
        keyed_phones.append((cid, raw, *keys))
    say(f"{len(keyed_phones):,} phone numbers normalised")

    # sales: ~12% walk-ins; each buyer one first day; ~45% of buyers never come back,
    # the others share the remaining sales by a heavy-tailed weight (a few regulars buy a lot)
    n_sales = counts["sales"]
    buyers = [cid for cid in range(1, n_customers + 1) if first_day[cid - 1] is not None]
    sales: list[tuple] = []

    def add_sale(cid: int | None, day: date, first_of_day: bool = False) -> None:
        on_sale = rng.random() < 0.2
        amount = int(rng.lognormvariate(3.4, 0.7) * 100) + 100
        if on_sale:
            amount = amount * 8 // 10
        if not first_of_day and rng.random() < 0.015:
            amount = -amount // 2  # a refund
        items = rng.choice((1, 1, 1, 2, 2, 3, 4))
        sales.append((cid, day.isoformat(), amount, items, on_sale, ""))

    for cid in buyers:
        add_sale(cid, first_day[cid - 1], True)
    repeaters = [cid for cid in buyers if rng.random() >= 0.45 and first_day[cid - 1] < END - timedelta(days=20)]
    walk_ins = int(n_sales * 0.12)
    remaining = max(n_sales - len(buyers) - walk_ins, 0)
    if repeaters and remaining:
        # each regular stays for a while (about two years on average) and then drifts away, as
        # in the buy-till-you-die models; their sales fall between the first day and that day
        last_index = len(days) - 1
        span: dict[int, tuple[int, int]] = {}
        for cid in repeaters:
            lo = min(index_of[first_day[cid - 1]] + 1, last_index)
            stays = int(rng.expovariate(1 / 600))
            span[cid] = (lo, max(lo, min(lo + stays, last_index)))
        weights = list(itertools.accumulate(
            rng.paretovariate(1.3) * (span[cid][1] - span[cid][0] + 30) for cid in repeaters))
        for cid in rng.choices(repeaters, cum_weights=weights, k=remaining):
            lo, hi = span[cid]
            add_sale(cid, _draw_day(rng, days, cumulative, lo, hi))
    for _ in range(n_sales - len(sales)):
        add_sale(None, _draw_day(rng, days, cumulative))
    sales.sort(key=lambda row: row[1])
    say(f"{len(sales):,} sales drawn")

    # referrals: a referee has one referrer, who is a customer known before them; advocates refer several
    referrals = []
    advocates = rng.sample(buyers, min(len(buyers), max(1, counts["referrals"] // 3)))
    referees = rng.sample(range(1, n_customers + 1), min(n_customers, counts["referrals"]))
    for referee in referees:
        referrer = rng.choice(advocates)
        if referrer == referee:
            continue
        created = date.fromisoformat(customers[referee - 1][12])
        referrals.append((referrer, referee, created.isoformat()))

    # promises: mostly closed (kept, missed, cancelled); the recent ones still open
    promises = []
    for _ in range(counts["promises"]):
        cid = rng.choice(buyers)
        made = _draw_day(rng, days, cumulative, index_of[first_day[cid - 1]])
        due = made + timedelta(days=rng.randrange(2, 31))
        if due >= END - timedelta(days=10) and rng.random() < 0.8:
            status, closed = "open", None
        else:
            status = rng.choices(["kept", "missed", "cancelled", "open"], [78, 15, 6, 1])[0]
            closed = None if status == "open" else min(due + timedelta(days=rng.randrange(-3, 4)), END)
            if closed is not None and closed < made:
                closed = made
        promises.append((cid, rng.choice(PROMISE_TEXTS), made.isoformat(), due.isoformat(), status,
                         closed.isoformat() if closed else None))

    # contact log: second-sale calls after the first purchase, and general calls
    contacts = []
    for _ in range(counts["contacts"]):
        cid = rng.choice(buyers)
        first = first_day[cid - 1]
        if rng.random() < 0.4:
            on, purpose = first + timedelta(days=rng.randrange(14, 60)), "second_sale"
        else:
            on, purpose = _draw_day(rng, days, cumulative, index_of[first]), "general"
        if on > END:
            continue
        outcome = rng.choice(OUTCOMES) if rng.random() > 0.002 else "do_not_contact"
        contacts.append((cid, on.isoformat(), rng.choice(CHANNELS), outcome, "", purpose, None))

    feedback = []
    for cid in rng.sample(buyers, min(len(buyers), max(1, n_customers // 200))):
        given = _draw_day(rng, days, cumulative, index_of[first_day[cid - 1]])
        feedback.append((cid, given.isoformat(), rng.randrange(3, 6), "Lovely shop", rng.random() < 0.5))
    say("referrals, promises, contacts, feedback drawn")

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO customer (id, name, name_fold, email, email_fold, notes, likes, dislikes, birthday, birthday_md,"
            " preferred_channel, marketing_consent, created_on, purchase_days, total_spend_cents, first_day_cents)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,0)",
            customers,
        )
        conn.executemany(
            "INSERT INTO customer_phone (customer_id, raw, national, e164, reversed_digits) VALUES (?,?,?,?,?)",
            keyed_phones,
        )
        conn.executemany('INSERT INTO family_date (customer_id, label, "on", md) VALUES (?,?,?,?)', family)
        conn.execute("COMMIT")
        say("customers written")
        for start in range(0, len(sales), 200_000):
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO sale (customer_id, sold_on, amount_cents, item_count, on_sale, note) VALUES (?,?,?,?,?,?)",
                sales[start : start + 200_000],
            )
            conn.execute("COMMIT")
        say("sales written")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO referral (referrer_id, referee_id, referred_on) VALUES (?,?,?)", referrals)
        conn.executemany(
            "INSERT INTO promise (customer_id, text, made_on, due_on, status, closed_on) VALUES (?,?,?,?,?,?)", promises
        )
        conn.executemany(
            "INSERT INTO contact (customer_id, contacted_on, channel, outcome, note, purpose, subject_id)"
            " VALUES (?,?,?,?,?,?,?)",
            contacts,
        )
        conn.executemany(
            "INSERT INTO feedback (customer_id, given_on, score, text, testimonial_ok) VALUES (?,?,?,?,?)", feedback
        )
        conn.execute("COMMIT")
        say("referrals, promises, contacts written")
    finally:
        conn.close()

    # the kept aggregates, made exact by the code every write uses
    shop = Shop.open(path)
    try:
        with writing(shop.engine) as session:
            refresh_figures(session, range(1, n_customers + 1))
        say("kept aggregates refreshed")
    finally:
        shop.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # no ANALYZE: a real shop's file has no planner statistics either
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    say("checkpointed")
    return ShopInfo(
        path=str(path), scale=scale, seed=seed, today=END.isoformat(), customers=n_customers, sales=len(sales),
        promises=len(promises), referrals=len(referrals), contacts=len(contacts),
        seconds=round(time.perf_counter() - started, 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; choose a new file")
    info = generate(args.out, args.scale, args.seed)
    print(asdict(info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
