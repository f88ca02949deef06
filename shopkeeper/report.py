"""The checklist as a readable table for the terminal or a printer (Rich, no Textual)."""
from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.table import Table

from .domain.checklist import Checklist
from .domain.money import format_cents
from .domain.phones import format_phone


def print_checklist(checklist: Checklist, out: IO[str], region: str = "") -> None:
    """`region` is the shop's phone region: numbers are shown as on screen (format_phone)."""
    def phone(raw: str) -> str:
        return format_phone(raw, region)

    console = Console(file=out, width=120 if not out.isatty() else None, highlight=False, markup=False)
    console.print(f"Checklist for {checklist.date.isoformat()} — {checklist.total()} to do, {checklist.done_today} done")
    sections = [
        ("Promises overdue", ["Customer", "Phone", "Promise", "Due", "Late"],
         [[p.name, phone(p.phone), p.text, p.due_on.isoformat(), f"{p.days_late} d"] for p in checklist.promises_overdue]),
        ("Promises due today", ["Customer", "Phone", "Promise", "Due"],
         [[p.name, phone(p.phone), p.text, p.due_on.isoformat()] for p in checklist.promises_due]),
        ("Second-sale calls", ["#", "Customer", "Phone / email", "First purchase", "Days", "Priority", "Why"],
         [[str(i), s.name, phone(s.phone) or s.email or "—", f"{s.first_purchase_on.isoformat()} {format_cents(s.first_purchase_cents)}",
           str(s.days_since_first), str(s.priority), "; ".join(s.reasons)] for i, s in enumerate(checklist.second_sale, 1)]),
        ("Referrers to thank", ["Customer", "Phone", "Referred", "First purchase"],
         [[t.name, phone(t.phone), t.referee_name, t.first_purchase_on.isoformat()] for t in checklist.thank_referrer]),
        ("Birthdays this week", ["Customer", "Phone", "What", "On"],
         [[b.name, phone(b.phone), b.label, b.on.isoformat()] for b in checklist.birthdays]),
        ("Feedback to answer", ["Customer", "Phone / email", "Given", "Score", "What they said"],
         [[f.name, phone(f.phone) or f.email or "—", f.given_on.isoformat(), f"{f.score}" + (" complaint" if f.complaint else ""),
           f.text] for f in checklist.feedback_to_answer]),
        ("Keep in touch", ["Customer", "Phone / email", "Why"],
         [[k.name, phone(k.phone) or k.email or "—", k.reason] for k in checklist.keep_in_touch]),
        ("Thank for a big order", ["Customer", "Phone", "Order", "On", "Usual visit"],
         [[g.name, phone(g.phone), format_cents(g.amount_cents), g.sold_on.isoformat(),
           f"{format_cents(g.usual_visit_cents)} ({g.times_usual:g}×)"] for g in checklist.big_orders]),
        ("Enquiries to answer", ["#", "Who", "Phone", "Asked", "By", "On", "Waiting"],
         [[str(e.enquiry_id), e.name, phone(e.phone), e.what, e.channel, e.asked_on.isoformat(), f"{e.days_waiting} d"]
          for e in checklist.enquiries]),
    ]
    for title, columns, rows in sections:
        table = Table(title=f"{title} ({len(rows)})", title_justify="left", expand=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        if rows:
            console.print(table)
        else:
            console.print(f"{title}: none")
