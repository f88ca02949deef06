"""Finding the caller: a phone number written any way, the last four digits, a name part, an email."""
import pytest

from shopkeeper.domain.phones import phone_keys, query_keys, validate_phone


@pytest.fixture
def people(make):
    zoe = make.customer("Zoé Lefèvre", phones=["06 28 23 04 55"], email="zoe.l@example.com")
    other = make.customer("Hugo Martin", phones=["07 11 22 33 44"], email="hugo@example.org")
    third = make.customer("Anaïs Dubois", phones=["+33 6 99 88 77 66"])
    return {"zoe": zoe, "hugo": other, "anais": third}


def ids(shop, today, text):
    return [row.id for row in shop.lookup(text, today)]


@pytest.mark.parametrize(
    "typed", ["06 28 23 04 55", "+33 6 28 23 04 55", "0628230455", "+33628230455", "06.28.23.04.55", "0033 6 28 23 04 55"]
)
def test_full_number_in_any_format_finds_the_same_customer(shop, today, people, typed):
    assert ids(shop, today, typed) == [people["zoe"]]


@pytest.mark.parametrize("typed", ["0455", "04 55", "06 28 23", "062823", "+33 6 28", "+33628"])
def test_last_four_digits_and_partial_prefixes(shop, today, people, typed):
    assert ids(shop, today, typed) == [people["zoe"]]


def test_number_stored_in_international_form_found_by_national_digits(shop, today, people):
    assert ids(shop, today, "06 99 88 77 66") == [people["anais"]]
    assert ids(shop, today, "7766") == [people["anais"]]


@pytest.mark.parametrize("typed", ["zoe", "ZOE", "Zoé", "lefevre", "zoe lef", "LEFÈVRE zo"])
def test_name_parts_ignore_case_and_accents(shop, today, people, typed):
    assert ids(shop, today, typed) == [people["zoe"]]


def test_accented_query_finds_plain_stored_name(shop, today, make):
    plain = make.customer("Anais Plain")
    assert plain in ids(shop, today, "Anaïs")


@pytest.mark.parametrize("typed", ["zoe.l@example.com", "ZOE.L@EXAMPLE.COM", "zoe.l@"])
def test_email_finds_the_customer(shop, today, people, typed):
    assert ids(shop, today, typed) == [people["zoe"]]


def test_no_match_and_empty_query(shop, today, people):
    assert ids(shop, today, "Nobody") == []
    assert ids(shop, today, "0999") == []
    assert ids(shop, today, "   ") == []


def test_lookup_row_shows_phone_as_typed_and_level(shop, today, people, make):
    make.sale(people["zoe"], make.ago(3), 1500)
    (row,) = shop.lookup("0455", today)
    assert (row.name, row.phone, row.email, row.level, row.total_spend_cents) == (
        "Zoé Lefèvre", "06 28 23 04 55", "zoe.l@example.com", 1, 1500)


def test_like_wildcards_in_a_name_are_literal(shop, today, make):
    make.customer("Ann Smith")
    assert ids(shop, today, "%") == []
    assert ids(shop, today, "_nn") == []


def test_lookup_pages_with_limit_and_offset(shop, today, make):
    created = [make.customer(f"Martin {n:02d}") for n in range(5)]
    first = [r.id for r in shop.lookup("martin", today, limit=2)]
    second = [r.id for r in shop.lookup("martin", today, limit=2, offset=2)]
    assert len(first) == len(second) == 2
    assert not set(first) & set(second)
    assert set(first) | set(second) <= set(created)


def test_phone_keys_are_the_same_for_every_spelling():
    spellings = ["06 28 23 04 55", "+33 6 28 23 04 55", "0628230455", "+33 (0)6 28 23 04 55"]
    keys = {phone_keys(s, "FR") for s in spellings}
    assert len(keys) == 1
    (key,) = keys
    assert key.national == "0628230455" and key.e164 == "33628230455"


def test_query_keys_need_three_digits_and_no_letters():
    assert query_keys("06", "FR") is None
    assert query_keys("zoe 0455", "FR") is None
    assert query_keys("0455", "FR").national == "0455"


@pytest.mark.parametrize("raw", ["", "abc", "12", "06 28 23 04 55 ext 3", "1" * 18])
def test_validate_phone_names_the_problem(raw):
    assert validate_phone(raw)


def test_validate_phone_accepts_common_spellings():
    for raw in ["06 28 23 04 55", "+33 (0)6-28-23-04-55", "06.28.23.04.55", "0455"]:
        assert validate_phone(raw) is None


def test_one_or_two_letters_find_names_by_the_start_of_a_word(shop, today):
    from shopkeeper.services import NewCustomer

    ids = {name: shop.create_customer(NewCustomer(name), today)
           for name in ("Jean Martin", "Marie Dupont", "Thomas Petit", "Anne-Marie Roux", "MARCHAND Luc")}
    found = [row.name for row in shop.lookup("ma", today)]
    assert found == ["MARCHAND Luc", "Marie Dupont", "Jean Martin"]  # first words A-Z, then later words
    assert "Thomas Petit" not in found and "Anne-Marie Roux" not in found
    assert [row.id for row in shop.lookup("p", today)] == [ids["Thomas Petit"]]
    assert [row.name for row in shop.lookup("tho", today)] == ["Thomas Petit"]  # 3 letters: anywhere in the name
    assert sorted(row.name for row in shop.lookup("ari", today)) == ["Anne-Marie Roux", "Marie Dupont"]
