"""`shopkeeper staff list|add|remove` and the `--staff INITIALS` of the write commands (issue 12):
who works in the shop, and who did what from the command line. Errors are one line."""
from __future__ import annotations

import json
import sys


def staff_id_of(shop, initials: str | None, usage_error, *, include_retired: bool = False) -> int | None:
    """The staff member with these initials (None when not given); unknown initials are refused."""
    if initials is None:
        return None
    found = shop.staff_by_initials(initials, include_retired=include_retired)
    if found is None:
        known = ", ".join(s.initials for s in shop.staff()) or "none yet (shopkeeper staff add NAME)"
        raise usage_error(f"--staff: nobody working here has the initials {initials.strip()!r} (staff: {known})")
    return found.id


def record_as(shop, args, usage_error) -> None:
    """What this command writes records who did it: `--staff INITIALS`, else nobody."""
    shop.staff_id = staff_id_of(shop, getattr(args, "staff", None), usage_error)


def run_staff(args, shop, today, usage_error) -> int:
    command = args.staff_command
    if command == "add":
        staff_id = shop.add_staff(args.name, args.initials or "")
        added = next(s for s in shop.staff() if s.id == staff_id)
        print(f"added {added.initials} {added.name} (staff number {staff_id})")
    elif command == "remove":
        retired = shop.retire_staff(args.id, today)
        print(f"{retired.initials} {retired.name} no longer works here (retired {today.isoformat()}); "
              "what they recorded keeps their initials")
    else:
        people = shop.staff(include_retired=args.all)
        if args.format == "json":
            print(json.dumps([{"id": s.id, "initials": s.initials, "name": s.name,
                               "retired_on": s.retired_on.isoformat() if s.retired_on else None} for s in people],
                             ensure_ascii=False, indent=2))
        else:
            for s in people:
                print(f"{s.id}\t{s.initials}\t{s.name}" + (f"\tretired {s.retired_on.isoformat()}" if s.retired_on else ""))
            if not people:
                print("shopkeeper: no staff yet (shopkeeper staff add NAME)", file=sys.stderr)
    return 0
