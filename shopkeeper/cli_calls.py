"""`shopkeeper calls KIND`: every call list on the command line, rows with their reason; and
`shopkeeper export testimonials`. Do-not-contact and consent are honoured as in the app."""
from __future__ import annotations

import argparse
import csv
import json
import sys

# the command's kinds -> the service's lists (the app's call-list screen offers the same)
KINDS = {"lapsed": "lapsed", "quiet": "quiet", "item": "items", "birthdays": "birthdays",
         "referral-ask": "referral-ask", "keep-in-touch": "keep-in-touch", "feedback": "feedback"}
COLUMNS = ["id", "name", "phone", "email", "consent", "tags", "reason"]


def add_parsers(sub, common, date_arg) -> None:
    calls = sub.add_parser("calls", parents=[common], help="a call list with each row's reason: " + ", ".join(KINDS))
    calls.add_argument("kind", help="one of: " + ", ".join(KINDS))
    calls.add_argument("--date", type=date_arg, default=argparse.SUPPRESS, help="as of this day (default: today)")
    calls.add_argument("--tag", help="only customers with this tag")
    calls.add_argument("--format", choices=["table", "csv", "json"], default="table")
    calls.add_argument("--item", default="", help="for `calls item`: words of the item's description, e.g. teapot")
    calls.add_argument("--before", type=date_arg, help="for `calls item`: bought before this day (default: the day)")
    calls.add_argument("--days", type=int, default=90, help="for `calls quiet`: not seen for this many days")
    calls.add_argument("--everyone", action="store_true",
                       help="customers who did not agree to marketing messages too (never do-not-contact)")


def check_args(args, usage_error) -> str:
    """The service's list for the command's kind; a bad kind or option is a usage error."""
    kind = KINDS.get(args.kind)
    if kind is None:
        raise usage_error(f"unknown call list {args.kind!r}; the kinds are: {', '.join(KINDS)}")
    if args.item and kind != "items":
        raise usage_error("--item goes with `calls item` only")
    if kind == "items" and not args.item.strip():
        raise usage_error("`calls item` needs --item WORDS, e.g. --item teapot")
    return kind


def run_calls(args, shop, today, kind: str) -> int:
    rows = shop.call_list(kind, today, words=args.item, before=args.before, days=args.days,
                          consent_only=not args.everyone, tag=args.tag)
    data = [{"id": r.id, "name": r.name, "phone": r.phone, "email": r.email,
             "consent": r.marketing_consent, "tags": list(r.tags), "reason": r.reason} for r in rows]
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in data:
            writer.writerow([row["id"], row["name"], row["phone"], row["email"], "yes" if row["consent"] else "no",
                             "; ".join(row["tags"]), row["reason"]])
    else:
        from .domain.phones import format_phone

        for row in data:
            print("\t".join([str(row["id"]), row["name"], format_phone(row["phone"], shop.settings.phone_region) or "-",
                             row["email"] or "-", "consent" if row["consent"] else "no consent", row["reason"]]))
        print(f"{len(data)} customer(s)", file=sys.stderr)
    return 0


def print_testimonials(shop, today, fmt: str) -> None:
    """What customers allowed us to quote, newest first (CSV or JSON)."""
    rows = [{"feedback_id": fid, "customer_id": cid, "name": name, "date": on.isoformat(), "score": score, "text": text}
            for fid, cid, name, on, score, text in shop.testimonials(today)]
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=["feedback_id", "customer_id", "name", "date", "score", "text"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
