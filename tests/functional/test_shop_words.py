"""Words and numbers a shop owner can use: one phone format everywhere, the palette lists only
the app's own actions, errors leave as soon as the field is right."""
from __future__ import annotations

import pytest

from shopkeeper.paths import files_folder

from shopkeeper.app import make_app

from .conftest import DEMO_DAY, settle
from .test_fits_terminal import screen_lines


async def test_checklist_phones_in_one_national_format(demo_shop):
    """The demo's numbers were typed "0673728902", "+33777889645" and "07.77.69.15.24"."""
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        for shown in ("06 73 72 89 02", "07 77 88 96 45", "07 77 69 15 24"):
            assert shown in text
        for typed in ("0673728902", "+33777889645", "07.77.69.15.24"):
            assert typed not in text


@pytest.mark.parametrize("keys", [(), ("slash", *"louis roux", "enter"), ("i",), ("u",)], ids=["checklist", "card", "insights", "customers"])
async def test_palette_lists_only_the_apps_own_actions(demo_shop, keys):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        if keys == ("i",):
            await pilot.press("tab")  # into the overview's scrolling text, whose own keys must not show
        titles = [command.title for command in app.get_system_commands(app.screen)]
        areas = {title.split(":")[0] for title in titles if ":" in title}
        assert areas <= {"app", app.screen.AREA}, areas
        assert not [t for t in titles if "Page Left" in t or "Scroll" in t], titles


async def test_error_beside_a_field_leaves_as_soon_as_it_is_right(demo_shop):
    from shopkeeper.widgets.form import FormField

    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "tab", *"12,5x", "enter")  # a walk-in sale with a mistyped amount
        await settle(app, pilot)
        amount = app.screen.query_one("#field-amount", FormField)
        assert amount.has_class("-invalid")
        await pilot.press("z")  # still wrong: the error stays
        await settle(app, pilot)
        assert amount.has_class("-invalid")
        await pilot.press("backspace", "backspace")  # "12,5" is right: the error leaves before any save
        await settle(app, pilot)
        assert not amount.has_class("-invalid")
        assert amount.query_one(".error").display is False or not amount.query_one(".error").region.height


async def test_promises_screen_and_checklist_agree_after_a_snooze(demo_shop):
    """Seen: after a snooze the promises screen said "2 overdue" while the checklist said 1."""
    from datetime import timedelta

    emma = next(p for p in demo_shop.open_promises() if p.customer_name == "Emma Leroy")
    demo_shop.snooze("promise", emma.id, emma.customer_id, DEMO_DAY, DEMO_DAY + timedelta(days=3))
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        checklist = str(app.screen.query_one("#summary").render())
        await pilot.press("p")
        await settle(app, pilot)
        promises = str(app.screen.query_one("#summary").render())
        row = next(line for line in screen_lines(app) if "Emma Leroy" in line)
    assert "3 overdue" in checklist and "1 snoozed" in checklist, checklist
    assert "3 overdue" in promises and "1 snoozed" in promises, promises
    assert "snoozed" in row and "late" not in row, row


async def test_top_20_percent_tab_shows_everyones_phone(demo_shop):
    """Seen: only customers also in "return soon" or "at risk" had a phone in the Top 20% tab."""
    from textual.widgets import OptionList, TabbedContent

    from shopkeeper.domain.phones import format_phone

    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        result = app.screen.result
        others = {r["customer_id"] for r in result.likely_to_return + result.at_risk}
        app.screen.query_one(TabbedContent).active = "top"
        await settle(app, pilot)
        rows = {int(o.id): str(o.prompt) for o in app.screen.query_one("#list-top", OptionList).options if o.id}
    only_here = [cid for cid in rows if cid not in others]
    assert only_here
    with_phone = 0
    for cid in only_here:
        card = demo_shop.card(cid, DEMO_DAY)
        if card.phones:
            with_phone += 1
            assert format_phone(card.phones[0], "FR") in rows[cid], rows[cid]
    assert with_phone


async def test_on_sale_box_is_empty_until_ticked(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        line = next(line for line in screen_lines(app) if "On sale" in line)
        assert "▐ ▌ On sale" in line, line
        app.screen.query_one("#on_sale").toggle()
        await settle(app, pilot)
        line = next(line for line in screen_lines(app) if "On sale" in line)
        assert "▐X▌ On sale" in line, line


async def test_call_list_export_creates_no_folder_and_says_where(demo_shop, tmp_path, monkeypatch):
    """Seen: exporting a call list created ~/Documents silently."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for key in ("i", "l", "down", "enter", "e"):
            await pilot.press(key)
            await settle(app, pilot)
        notices = [n.message for n in app._notifications]
    written = files_folder(demo_shop.location) / f"shopkeeper-lapsed-{DEMO_DAY.isoformat()}.csv"
    assert written.exists()
    assert not (home / "Documents").exists() and list(home.iterdir()) == []
    assert any(str(written.resolve()) in message for message in notices), notices
