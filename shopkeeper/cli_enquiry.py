"""`shopkeeper enquiry add|answer|list`: the enquiry log from the command line, over the same
services as the app. Each prints one line saying what was done; errors are one line too."""
from __future__ import annotations

import json
import sys
from datetime import date


def run_enquiry(args, shop, today: date) -> int:
    command = args.enquiry_command
    if command == "add":
        enquiry_id = shop.add_enquiry(args.what, args.on or today, today, customer_id=args.customer, name=args.name,
                                      phone=args.phone, channel=args.channel.strip().lower())
        print(f"enquiry #{enquiry_id} logged")
    elif command == "answer":
        shop.answer_enquiry(args.id, args.on or today, args.note)
        print(f"enquiry #{args.id} answered on {(args.on or today).isoformat()}")
    else:
        rows = shop.enquiries(today, open_only=args.open)
        if args.format == "json":
            print(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
            return 0
        for row in rows:
            state = f"answered {row.answered_on.isoformat()}" if row.answered_on else f"waiting {(today - row.asked_on).days} d"
            who = f"{row.name} (customer {row.customer_id})" if row.customer_id else row.name
            print("\t".join([f"#{row.id}", row.asked_on.isoformat(), row.channel, who, row.phone or "-", row.what, state]))
        if not rows:
            print("shopkeeper: no enquiries" + (" waiting" if args.open else ""), file=sys.stderr)
    return 0
