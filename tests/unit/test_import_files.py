"""Reading a file into rows never cuts or drops a value in silence, whatever separates the columns."""
import pytest

from shopkeeper.csvfiles import CsvError, read_table
from shopkeeper.imports import SALE_FIELDS, ImportRefused, import_sales


def write(tmp_path, body, name="sales.txt"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def rows(tmp_path, body):
    return [row for _, row in read_table(write(tmp_path, body), {}, SALE_FIELDS).rows]


def test_names_with_spaces_survive_a_space_aligned_file(shop, tmp_path, today):
    body = ("date        amount  customer          note\n"
            "2026-01-01   10.00  Marie Dupont      gift wrap\n"
            "2026-01-02  120.50  Jean-Paul Le Gall\n"
            "2026-01-03    3.00  Bob               \n")
    assert rows(tmp_path, body) == [
        {"date": "2026-01-01", "amount": "10.00", "customer": "Marie Dupont", "note": "gift wrap"},
        {"date": "2026-01-02", "amount": "120.50", "customer": "Jean-Paul Le Gall", "note": ""},
        {"date": "2026-01-03", "amount": "3.00", "customer": "Bob", "note": ""},
    ]
    import_sales(shop, write(tmp_path, body), {}, today=today)
    assert shop.lookup("dupont", today)[0].name == "Marie Dupont"


def test_a_lone_row_with_a_two_word_name_is_not_cut(tmp_path):
    body = "date       amount  customer\n2026-01-01 10      Marie Dupont\n"
    assert rows(tmp_path, body) == [{"date": "2026-01-01", "amount": "10", "customer": "Marie Dupont"}]


def test_single_spaces_between_columns_split_only_when_every_line_agrees(tmp_path):
    assert rows(tmp_path, "date amount customer\n2026-01-01 10 Ann\n2026-01-02 7 Bob\n") == [
        {"date": "2026-01-01", "amount": "10", "customer": "Ann"},
        {"date": "2026-01-02", "amount": "7", "customer": "Bob"}]
    with pytest.raises(CsvError, match="line 3 has 4 values for 3 columns.*Marie Dupont.*commas, semicolons or tabs"):
        rows(tmp_path, "date amount customer\n2026-01-01 10 Ann\n2026-01-02 7 Marie Dupont\n")


def test_a_value_running_into_the_next_column_refuses_the_file(tmp_path):
    body = "date        amount customer\n2026-01-01  1234.50 Marie Dupont\n"
    with pytest.raises(CsvError, match="line 2 has 4 values for 3 columns"):
        rows(tmp_path, body)


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_row_with_more_values_than_columns_is_a_bad_row(shop, tmp_path, today, separator):
    body = separator.join(["date", "amount", "customer"]) + "\n" \
        + separator.join(["2026-01-01", "10", "Ann"]) + "\n" \
        + separator.join(["2026-01-02", "10", "Dupont", " Marie"]) + "\n" \
        + separator.join(["2026-01-03", "10", "Bob", "", ""]) + "\n"  # empty trailing cells are fine
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, body, "s.csv"), {}, today=today)
    (error,) = refused.value.errors
    assert error.startswith("line 3: 4 values for 3 columns")
    assert shop.count_customers() == 0


def test_no_header_name_is_claimed_by_two_fields_of_one_kind_of_file():
    from shopkeeper.csvfiles import ALIASES, fold_header
    from shopkeeper.imports import CONTACT_FIELDS, CUSTOMER_FIELDS

    for fields in (SALE_FIELDS, CUSTOMER_FIELDS, CONTACT_FIELDS):
        claimed: dict[str, str] = {}
        for name in fields:
            for alias in (name, *ALIASES.get(name, ())):
                assert claimed.setdefault(fold_header(alias), name) == name, (alias, claimed[fold_header(alias)], name)
