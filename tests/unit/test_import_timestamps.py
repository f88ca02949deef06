"""The generic sales import reads dates with times and zones too, on the shop's local day (issue 15)."""
import sqlite3

import pytest

from shopkeeper.imports import ImportRefused, import_sales
from support.db_rows import connect


def days(shop):
    """The day of each sale, in the order of their amounts (1.00, 2.00 …)."""
    with connect(shop) as conn:
        return [r[0] for r in conn.execute("SELECT sold_on FROM sale ORDER BY amount_cents")]


@pytest.fixture
def paris(shop):
    shop.save_settings({"time_zone": "Europe/Paris"})
    return shop


def test_iso_stamps_with_offsets_land_on_the_shops_day(paris, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("date,amount,customer\n"
                    "2025-10-07 09:50:26 +0200,1.00,Sophie\n"
                    "2025-10-07 23:30:00 -0700,2.00,Jürgen\n"  # 08:30 the next morning in Paris
                    "2025-10-07T21:59:59Z,3.00,Ann\n"
                    "2025-10-07T22:00:00Z,4.00,Ann\n"
                    "2025-10-07 10:00,5.00,Ann\n"  # no zone: the shop's own time, as before
                    "2025-10-07,6.00,Ann\n")
    assert import_sales(paris, path, {}).sales_added == 6
    assert days(paris) == ["2025-10-07", "2025-10-08", "2025-10-07", "2025-10-08", "2025-10-07", "2025-10-07"]


def test_twelve_hour_times_and_month_first_dates(paris, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("date,amount\n10/07/2025 9:50 PM,1.00\n10/13/2025 12:05 AM,2.00\n")
    import_sales(paris, path, {})
    assert days(paris) == ["2025-10-07", "2025-10-13"]


def test_a_wrong_stamp_is_a_bad_row(paris, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("date,amount\n2025-10-07 25:00 +0200,5.00\n2025-10-07 10:00 Mars/Olympus,5.00\nyesterday,5.00\n")
    with pytest.raises(ImportRefused) as refused:
        import_sales(paris, path, {})
    assert refused.value.errors == [
        "line 2: time in '2025-10-07 25:00 +0200' does not exist",
        "line 3: time zone 'Mars/Olympus' is not a zone name like Europe/Paris or an offset like +02:00",
        "line 4: date 'yesterday' is not like 2025-03-14",
    ]
    assert days(paris) == []
