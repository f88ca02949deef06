"""How POS exports write amounts, quantities and item lists (pos/records.py, pos/square.py)."""
from datetime import timezone

import pytest

from shopkeeper.pos.records import Cells
from shopkeeper.pos.square import _described_items


@pytest.mark.parametrize("text, cents", [("12.50", 1250), ("12,50 €", 1250), ("$1,234.50", 123450), ("-$6.50", -650),
                                         ("($6.50)", -650), ("(6,50 €)", -650), ("'7.00", 700), ("", 0)])
def test_amounts_as_exports_write_them(text, cents):
    errors = []
    assert Cells(errors, timezone.utc).money(3, {"total": text}, "total") == cents
    assert errors == []


def test_a_bad_amount_names_its_line_and_column():
    errors = []
    Cells(errors, timezone.utc).money(3, {"total_collected": "12.5.0"}, "total_collected")
    assert errors == ["line 3: total collected: amount '12.5.0' is not a number like 12.50"]


@pytest.mark.parametrize("text, quantity", [("2", 2), ("2.0", 2), ("2,00", 2), ("-1", -1), ("1,5", None), ("", 1)])
def test_quantities(text, quantity):
    assert Cells([], timezone.utc).quantity(2, text) == quantity


def test_square_descriptions_become_items():
    assert _described_items("2 x Croissant, Café crème, 1 × Thé") == [("Croissant", 2, None), ("Café crème", 1, None),
                                                                       ("Thé", 1, None)]
