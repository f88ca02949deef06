"""The command line: argparse subcommands over the same services as the app. No work at import.

Every failure a user can cause ends as one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 70


_OPEN_SHOPS: list = []


class UsageError(Exception):
    """Arguments that don't make sense; the message says which."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage dump
        raise UsageError(f"{message} (try: {self.prog} --help)")


def _date_arg(text: str) -> date:
    from .domain.dates import DateError, parse_iso_date

    try:
        return parse_iso_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _map_arg(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"--map wants FIELD=COLUMN, not {text!r}")
    return field.strip().lower(), column.strip()


def _sale_change_args(parser: argparse.ArgumentParser, id_help: str, amount_help: str, date_help: str) -> None:
    """The sale's number, --amount and --date, which `sale edit` and `sale refund` both take."""
    parser.add_argument("id", type=int, help=id_help)
    parser.add_argument("--amount", help=amount_help)
    parser.add_argument("--date", dest="sold_on", type=_date_arg, help=date_help)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH",
                        help="the shop's database file (default: $SHOPKEEPER_DB, then your data folder)")
    parser = _Parser(prog="shopkeeper", parents=[common],
                     description="A retention desk for a small shop. With no command, opens the app.")
    parser.add_argument("--date", type=_date_arg, help="open the app as of this day (YYYY-MM-DD)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser("demo", parents=[common],
                          help="open the practice shop (built the first time in its own file, demo.sqlite3 beside yours)")
    demo.add_argument("--no-open", action="store_true", help="only create it")
    # A subcommand's --date must not reset one given before the subcommand: default SUPPRESS.
    demo.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS, help="build it as of this day")

    checklist = sub.add_parser("checklist", parents=[common], help="print the day's checklist")
    checklist.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS)
    checklist.add_argument("--format", choices=["table", "json", "csv"], default="table")
    checklist.add_argument("--staff", metavar="INITIALS", help="only this person's rows: the promises they made, "
                           "the calls whose latest contact was theirs")

    imp = sub.add_parser("import", parents=[common], help="import sales, customers or contact outcomes from a CSV file")
    imp.add_argument("what", choices=["sales", "customers", "contacts"])
    imp.add_argument("file", type=Path)
    imp.add_argument("--map", type=_map_arg, action="append", default=[], metavar="FIELD=COLUMN",
                     help="read FIELD from the column named COLUMN (or numbered, in a file without header)")
    imp.add_argument("--dry-run", action="store_true", help="check and count exactly as the import would, write nothing")
    imp.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS,
                     help="today for this import (default: the real day): later dates are refused; new customers "
                          "of a customers file are created on it")
    imp.add_argument("--date-format", choices=["iso", "dmy", "mdy"],
                     help="how the file writes dates, when it can't be told from the dates themselves")
    imp.add_argument("--from", dest="source", choices=["shopify", "square"],
                     help="the file is this system's export (found from its columns when left out)")

    exp = sub.add_parser("export", parents=[common], help="export customers, sales, the checklist, or one customer")
    exp.add_argument("what", choices=["customers", "sales", "checklist", "customer", "testimonials"])
    exp.add_argument("id", nargs="?", type=int, help="for `export customer ID`: everything held about them (JSON)")
    exp.add_argument("--format", choices=["csv", "json"], default="csv")
    exp.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS, help="as of this day (levels, checklist)")
    exp.add_argument("--include-voided", action="store_true",
                     help="for `export sales`: voided sales too, with the day and reason they were voided")

    sale = sub.add_parser("sale", parents=[common], help="correct a sale: void or edit it, refund it, list a customer's sales")
    sale_sub = sale.add_subparsers(dest="sale_command", parser_class=_Parser, required=True)
    void = sale_sub.add_parser("void", parents=[common], help="void a sale typed by mistake (it stays in the history)")
    void.add_argument("id", type=int, help="the sale's number (see: shopkeeper sale list --customer ID)")
    void.add_argument("--reason", default="", help="why, e.g. \"typed twice\"")
    _staff_arg(void)
    edit = sale_sub.add_parser("edit", parents=[common], help="correct a sale's amount, date, items or customer")
    _sale_change_args(edit, "the sale's number", "the right amount, e.g. 123.45", "the right day (YYYY-MM-DD)")
    edit.add_argument("--customer", type=int, help="the right customer's number")
    edit.add_argument("--items", type=int, help="the right number of items")
    edit.add_argument("--reason", default="", help="why, e.g. \"wrong amount\"")
    _staff_arg(edit)
    edit.add_argument("--cost", help="what the sale cost the shop, e.g. 40.00 (for profit); none forgets it")
    refund = sale_sub.add_parser("refund", parents=[common], help="give money back on a sale (all that is left of it by default)")
    _sale_change_args(refund, "the number of the sale refunded",
                      "what is given back, e.g. 5.00 (default: what is left of the sale)",
                      "the day of the refund (default: today)")
    refund.add_argument("--note", default="")
    _staff_arg(refund)
    listing = sale_sub.add_parser("list", parents=[common], help="a customer's sales with their numbers, voided ones too")
    listing.add_argument("--customer", type=int, required=True, help="the customer's number (see: shopkeeper find)")
    listing.add_argument("--format", choices=["table", "json"], default="table")

    enquiry = sub.add_parser("enquiry", parents=[common], help="log an enquiry, mark it answered, list them")
    enquiry_sub = enquiry.add_subparsers(dest="enquiry_command", parser_class=_Parser, required=True)
    add = enquiry_sub.add_parser("add", parents=[common], help="log what someone asked (a customer, or a name/phone)")
    add.add_argument("what", help="what they asked, e.g. \"blue teapot back in stock?\"")
    add.add_argument("--customer", type=int, help="the customer's number (see: shopkeeper find)")
    add.add_argument("--name", default="", help="who asked, when not a customer")
    add.add_argument("--phone", default="", help="their phone, when not a customer")
    add.add_argument("--channel", default="phone", help="phone, sms, email, visit or web (default: phone)")
    add.add_argument("--on", type=_date_arg, help="the day they asked (default: today)")
    answer = enquiry_sub.add_parser("answer", parents=[common], help="mark an enquiry answered")
    answer.add_argument("id", type=int, help="the enquiry's number (see: shopkeeper enquiry list)")
    answer.add_argument("--on", type=_date_arg, help="the day it was answered (default: today)")
    answer.add_argument("--note", default="", help="what was answered")
    elist = enquiry_sub.add_parser("list", parents=[common], help="enquiries, newest first (--open: waiting ones)")
    elist.add_argument("--open", action="store_true", help="only those not answered yet, oldest first")
    elist.add_argument("--format", choices=["table", "json"], default="table")

    backup = sub.add_parser("backup", parents=[common], help="write a consistent copy of the database")
    backup.add_argument("dest", nargs="?", type=Path)

    insights = sub.add_parser("insights", parents=[common], help="levels, conversion, promises, top 20%%, lifetime value")
    insights.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS)
    insights.add_argument("--format", choices=["table", "json"], default="table")

    restore = sub.add_parser("restore", parents=[common], help="replace the database by a backup (the current one is kept)")
    restore.add_argument("file", type=Path)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    erase = sub.add_parser("erase", parents=[common], help="erase a customer's personal data on their request")
    erase.add_argument("what", choices=["customer"])
    erase.add_argument("id", type=int)
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation (for scripts)")

    from .cli_calls import add_parsers as add_calls

    add_calls(sub, common, _date_arg)

    find = sub.add_parser("find", parents=[common], help="who is this? look up by name, phone or email")
    find.add_argument("text")
    find.add_argument("--format", choices=["table", "json"], default="table")
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS, help="as of this day (levels)")

    staff = sub.add_parser("staff", parents=[common], help="who works in the shop: list, add or remove staff")
    staff_sub = staff.add_subparsers(dest="staff_command", parser_class=_Parser, required=True)
    staff_list = staff_sub.add_parser("list", parents=[common], help="the staff, by initials")
    staff_list.add_argument("--all", action="store_true", help="those who no longer work here too")
    staff_list.add_argument("--format", choices=["table", "json"], default="table")
    staff_add = staff_sub.add_parser("add", parents=[common], help="add someone (initials from the name by default)")
    staff_add.add_argument("name")
    staff_add.add_argument("--initials", help="1-4 letters, unique (default: first letters of the first and last name)")
    staff_remove = staff_sub.add_parser("remove", parents=[common],
                                        help="someone no longer works here (what they recorded keeps their initials)")
    staff_remove.add_argument("id", type=int, help="their number (see: shopkeeper staff list)")
    staff_remove.add_argument("--date", type=_date_arg, default=argparse.SUPPRESS, help="the day they left")
    return parser


def _staff_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--staff", metavar="INITIALS", help="who does this (recorded with it; default: nobody)")


def _today(args) -> date:
    from .clock import now_date

    return getattr(args, "date", None) or now_date()


def _open_shop(args, *, must_exist: bool = True):
    from .paths import resolve_db_path
    from .services import Shop

    from .store.backend import is_server

    path = resolve_db_path(getattr(args, "db", None))
    if isinstance(path, str) and not is_server(path):
        raise UsageError(f"{path}: shopkeeper opens a shop file or a postgresql:// URL, nothing else")
    if must_exist and not is_server(path) and not path.exists():
        raise UsageError(f"no database at {path} (start your shop by opening shopkeeper, or: shopkeeper import sales FILE.csv)")
    shop = Shop.open(path)
    _OPEN_SHOPS.append(shop)  # closed by main() when the command ends
    return shop


def _print_checklist(shop, args) -> None:
    """JSON and CSV from exports; the text table for a person from report."""
    from .cli_staff import staff_id_of

    staff_id = staff_id_of(shop, getattr(args, "staff", None), UsageError, include_retired=True)
    checklist = shop.checklist(_today(args), staff_id=staff_id)
    if args.format in ("json", "csv"):
        from .exports import write_checklist

        write_checklist(checklist, args.format, sys.stdout)
    else:
        from .report import print_checklist

        print_checklist(checklist, sys.stdout, shop.settings.phone_region)


def cmd_checklist(args) -> int:
    _print_checklist(_open_shop(args), args)
    return 0


def cmd_import(args) -> int:
    from .imports import import_contacts, import_customers, import_sales
    from .paths import resolve_db_path

    if not args.file.exists():
        raise UsageError(f"{args.file}: no such file")
    from .store.backend import is_server

    location = resolve_db_path(getattr(args, "db", None))
    created = isinstance(location, Path) and not location.exists()  # a server's database is never removed
    shop = _open_shop(args, must_exist=False)
    mapping = dict(args.map)
    if not args.dry_run:
        _daily_backup(shop, _today(args))
    try:
        source = _pos_source(args, mapping)
        if args.what == "sales" and source:
            from .pos.importer import import_pos_sales
            from .progress import TerminalProgress

            progress = TerminalProgress(sys.stderr)  # only drawn when stderr is a terminal
            try:
                report = import_pos_sales(shop, args.file, source, _today(args), dry_run=args.dry_run,
                                          progress=progress)
            finally:
                progress.finish()
        elif args.what == "customers" and source:
            from .pos.customers_import import import_pos_customers

            report = import_pos_customers(shop, args.file, source, _today(args), dry_run=args.dry_run)
        elif args.what == "sales":
            report = import_sales(shop, args.file, mapping, dry_run=args.dry_run, date_format=args.date_format,
                                  today=_today(args))
        elif args.what == "contacts":
            report = import_contacts(shop, args.file, mapping, _today(args), dry_run=args.dry_run,
                                     date_format=args.date_format)
        else:
            report = import_customers(shop, args.file, mapping, _today(args), dry_run=args.dry_run)
    except BaseException:
        if created:  # a refused import leaves no new, empty database behind
            _discard_new_database(shop)
        raise
    if created and args.dry_run:  # a dry run writes nothing, not even a new database
        _discard_new_database(shop)
    for note in report.notes:
        print(note, file=sys.stderr)
    print(report.summary())
    return 0


def _pos_source(args, mapping: dict) -> str | None:
    """A till's or online shop's export: named by --from, or recognised by its columns (not with --map)."""
    if args.what not in ("sales", "customers"):
        if args.source:
            raise UsageError("--from is for import sales and import customers")
        return None
    if args.source or mapping:
        if args.source and mapping:
            raise UsageError("--from reads the export's own columns; leave out --map")
        return args.source
    from .pos import sniff

    return sniff(args.file, args.what)


def _discard_new_database(shop) -> None:
    """Remove a database file this command created itself (and its WAL companions)."""
    shop.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{shop.path}{suffix}").unlink(missing_ok=True)


def cmd_export(args) -> int:
    from .exports import export_customers, export_sales

    if (args.what == "customer") != (args.id is not None):
        raise UsageError("give a customer number with `export customer ID`, and only there")
    if args.include_voided and args.what != "sales":
        raise UsageError("--include-voided goes with `export sales` only")
    shop = _open_shop(args)
    if args.what == "customer":
        print(json.dumps(shop.customer_data(args.id), ensure_ascii=False, indent=2))
    elif args.what == "customers":
        export_customers(shop, _today(args), args.format, sys.stdout)
    elif args.what == "sales":
        export_sales(shop, args.format, sys.stdout, include_voided=args.include_voided)
    elif args.what == "testimonials":
        from .cli_calls import print_testimonials

        print_testimonials(shop, _today(args), args.format)
    else:
        _print_checklist(shop, args)
    return 0


def cmd_backup(args) -> int:
    from .clock import now_date

    shop = _open_shop(args)
    if shop.on_server:
        return _backup_server(shop, args.dest, now_date())
    dest = args.dest
    if dest is None:
        dest = shop.path.with_name(f"{shop.path.stem}-backup-{now_date().isoformat()}{shop.path.suffix}")
    elif dest.is_dir():
        dest = dest / f"{shop.path.stem}-backup-{now_date().isoformat()}{shop.path.suffix}"
    if dest.resolve() == shop.path.resolve():
        raise UsageError("the backup must go to another file than the database itself")
    written = shop.backup(dest)
    print(f"backup written to {written}")
    return 0


def _backup_server(shop, dest: Path | None, day: date) -> int:
    """pg_dump of a shop on a server: into this till's backups/ folder unless told where."""
    from .paths import backups_folder
    from .store.backend import database_name

    name = f"{database_name(shop.url)}-backup-{day.isoformat()}.dump"
    if dest is None:
        dest = backups_folder(shop.location) / name
    elif dest.is_dir():
        dest = dest / name
    written = shop.backup(dest)
    print(f"backup of {shop.where} written to {written}")
    return 0


def _restore_server(args, target: str) -> int:
    """A pg_dump into a fresh database (created if missing; a database holding anything is refused)."""
    from .store.pg_backup import restore_dump

    restore_dump(args.file, target)
    shop = _open_shop(args)  # migrates an older dump
    print(f"restored {args.file} into {shop.where} ({shop.count_customers()} customers)")
    return 0


def cmd_insights(args) -> int:
    from .insights import compute_insights

    shop = _open_shop(args)
    day = _today(args)
    result = compute_insights(shop, day, remember_models=getattr(args, "date", None) is None)
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        from .insights_report import print_insights

        print_insights(result, shop.settings.currency, sys.stdout, shop.settings.phone_region)
    return 0


def _confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; scripts pass --yes. Anything but "y" stops with nothing changed."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{question} — add --yes to confirm when not at a terminal")
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise UsageError("cancelled, nothing changed")


def cmd_restore(args) -> int:
    from .clock import now_date
    from .paths import resolve_db_path
    from .store.backup import restore_file, verify_database_file

    from .store.backend import is_server
    from .store.pg_backup import DUMP_MAGIC

    target = resolve_db_path(getattr(args, "db", None))
    if is_server(target):
        return _restore_server(args, target)
    if args.file.is_file() and args.file.open("rb").read(len(DUMP_MAGIC)) == DUMP_MAGIC:
        raise UsageError(f"{args.file} is a PostgreSQL backup: restore it into a new database with "
                         "--db postgresql://USER@HOST/NEWNAME")
    verify_database_file(args.file)  # refuse a bad file before asking anything
    if target.exists() and args.file.resolve() == target.resolve():
        raise UsageError("that file is the database itself")
    _confirm(f"Replace {target} by {args.file}? The current database is kept in backups/", args.yes)
    stamp = now_date().isoformat() + "-" + __import__("time").strftime("%H%M%S")
    saved = restore_file(args.file, target, stamp)
    shop = _open_shop(args)  # migrates an older backup, with its own backup first
    print(f"restored {args.file} into {target}" + (f"; the previous database is in {saved}" if saved else "")
          + f" ({shop.count_customers()} customers)")
    return 0


def cmd_erase(args) -> int:
    shop = _open_shop(args)
    card = shop.card(args.id, _today(args))
    if card is None:
        raise UsageError(f"there is no customer number {args.id}")
    _confirm(f"Erase the personal data of {card.name} (customer {args.id})? Their sales stay as anonymous totals",
             args.yes)
    shop.erase_customer(args.id, _today(args))
    print(f"erased the personal data of customer {args.id}")
    return 0


def cmd_find(args) -> int:
    from .domain.levels import LEVEL_NAMES
    from .domain.money import format_cents
    from .domain.phones import format_phone

    shop = _open_shop(args)
    rows = shop.lookup(args.text, _today(args), limit=max(1, min(args.limit, 500)))
    if args.format == "json":
        print(json.dumps([
            {"id": r.id, "name": r.name, "phone": r.phone, "email": r.email, "level": r.level,
             "total_spend": format_cents(r.total_spend_cents),
             "last_purchase_on": r.last_purchase_on.isoformat() if r.last_purchase_on else None}
            for r in rows
        ], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r.id}\t{r.name}\t{format_phone(r.phone, shop.settings.phone_region) or '-'}\t{r.email or '-'}\t{LEVEL_NAMES[r.level]}\t{format_cents(r.total_spend_cents)}")
        if not rows:
            print(f"shopkeeper: no customer matches {args.text!r}", file=sys.stderr)
            return 1
    return 0


def cmd_demo(args) -> int:
    """The practice shop: in its own file beside the owner's (never the owner's file), built once;
    with --db, built into that file only if it is empty."""
    from .demo import build_demo
    from .paths import demo_db_path, resolve_db_path

    today = _today(args)
    own = resolve_db_path(None)
    if getattr(args, "db", None):
        shop = _open_shop(args, must_exist=False)
        if shop.count_customers():
            raise UsageError(f"{shop.where} already holds a shop; choose an empty file with --db to build the demo")
    else:
        args.db = str(demo_db_path(own))
        shop = _open_shop(args, must_exist=False)
    if shop.count_customers():
        print(f"demo shop in {shop.where}")
    else:
        build_demo(shop, today)
        print(f"demo shop created in {shop.where}")
    if args.no_open or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return 0
    return _run_app(shop, today, demo=True, own_path=own)


def _daily_backup(shop, today: date) -> None:
    """The first open of each day keeps a copy in backups/ (for backup_keep_days days)."""
    shop.daily_backup(today)


def _run_app(shop, today: date, demo: bool = False, own_path: Path | None = None) -> int:
    from .app import make_app
    from .logfile import start_log, stop_log
    from .paths import keymap_path, log_path_for, till_path

    log_file = log_path_for(shop.location)
    handler = start_log(log_file)
    try:
        _daily_backup(shop, today)  # after the log starts: a failed copy on a server is logged there
        app = make_app(shop, today=today, demo=demo, own_path=own_path, keymap_file=keymap_path(), log_file=log_file,
                       till_file=till_path())
        app.run()
        if app.shop is not shop:  # the app moved between the demo and the owner's shop
            app.shop.close()
    finally:
        stop_log(handler)
    return 0


def cmd_app(args) -> int:
    """The app on the owner's file (the welcome screen if it is brand new); a demo file opened
    with --db shows as the demo, and "Start my own shop" leads to the owner's default file."""
    from .paths import resolve_db_path

    today = _today(args)
    shop = _open_shop(args, must_exist=False)
    if shop.is_demo:
        return _run_app(shop, today, demo=True, own_path=resolve_db_path(None))
    return _run_app(shop, today)


def cmd_calls(args) -> int:
    from .cli_calls import check_args, run_calls

    kind = check_args(args, UsageError)  # before the shop is opened: a typo is only a typo
    return run_calls(args, _open_shop(args), _today(args), kind)


def cmd_sale(args) -> int:
    from .cli_sale import run_sale
    from .cli_staff import record_as

    shop = _open_shop(args)
    record_as(shop, args, UsageError)
    return run_sale(args, shop, UsageError)


def cmd_staff(args) -> int:
    from .cli_staff import run_staff

    return run_staff(args, _open_shop(args), _today(args), UsageError)


def cmd_enquiry(args) -> int:
    from .cli_enquiry import run_enquiry

    return run_enquiry(args, _open_shop(args), _today(args))


COMMANDS = {"calls": cmd_calls, "sale": cmd_sale, "enquiry": cmd_enquiry, "checklist": cmd_checklist, "import": cmd_import,
            "export": cmd_export, "backup": cmd_backup, "restore": cmd_restore, "insights": cmd_insights, "erase": cmd_erase,
            "find": cmd_find, "demo": cmd_demo, "staff": cmd_staff, None: cmd_app}


def main(argv: Sequence[str] | None = None) -> int:
    from .domain.errors import InputError
    from .store.errors import StoreError

    try:
        from .csvfiles import CsvError
        from .imports import ImportRefused

        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"shopkeeper: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ImportRefused as exc:
        for line in exc.errors[:50]:
            print(line, file=sys.stderr)
        if len(exc.errors) > 50:
            print(f"… and {len(exc.errors) - 50} more", file=sys.stderr)
        for line in exc.hints:
            print(line, file=sys.stderr)
        print(f"shopkeeper: import refused, nothing written: {len(exc.errors)} problem(s); fix them and import again",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StoreError, InputError, CsvError) as exc:
        print(f"shopkeeper: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("shopkeeper: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"shopkeeper: {exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        if os.environ.get("SHOPKEEPER_DEBUG"):
            raise
        detail = " ".join(str(exc).split())[:300]
        print(f"shopkeeper: unexpected error: {type(exc).__name__}: {detail} (set SHOPKEEPER_DEBUG=1 for details)",
              file=sys.stderr)
        return EXIT_UNEXPECTED
    finally:
        while _OPEN_SHOPS:  # release the database (and checkpoint its WAL) before returning
            _OPEN_SHOPS.pop().close()
