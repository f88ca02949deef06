"""The insights in a shop owner's words: plain sentences from the figures (several shop profiles),
every rate with its count, a rate on fewer than 5 customers said to be too few, the shape named
with what it means, and the same sentences on the command line."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest

from shopkeeper.domain.insights import (Cohort, LevelsFigure, Pareto, PromiseFigures, plain_sentences, rate_words,
                                        shape_words)

DAY = date(2026, 11, 25)


def levels(prospects, once, again, advocates):
    return LevelsFigure(DAY, {0: prospects, 1: once, 2: again, 3: advocates})


def cohort(customers, came_back):
    return Cohort("2026-06", customers, {w: came_back for w in (30, 60, 90)}, {w: customers for w in (30, 60, 90)})


NOBODY = (PromiseFigures(), Pareto(0, 0, 0, 0, []))


@pytest.mark.parametrize("figure, expected", [
    (levels(10, 80, 15, 5), "Most of your customers have bought once; few recommend you yet — aim for more advocates."),
    (levels(0, 20, 70, 10), "Most of your customers have bought twice or more; keep it up."),
    (levels(0, 20, 65, 5), "Most of your customers have bought twice or more; few recommend you yet — aim for more advocates."),
    (levels(0, 40, 5, 30), "Most of your customers have bought once; few come back — bring first-timers back for a second sale."),
    (levels(0, 10, 20, 70), "Most of your customers recommend you; keep it up."),
    (levels(0, 35, 40, 25), "The largest group of your customers have bought twice or more; keep it up."),
])
def test_levels_in_words_by_shop_profile(figure, expected):
    assert plain_sentences(figure, [], *NOBODY)[0] == expected


def test_an_empty_shop_says_so():
    assert plain_sentences(levels(3, 0, 0, 0), [], *NOBODY) == [
        "Nobody has bought yet: log your first sales and this page fills in."]


def test_rates_show_their_counts_and_few_customers_are_too_few_to_tell():
    promises = PromiseFigures(kept_on_time=1)
    sentences = plain_sentences(levels(0, 3, 1, 0), [cohort(3, 1)], promises, Pareto(1, 4, 100, 200, []))
    assert "33% (1 of 3) of your first-time buyers came back within 90 days — too few yet to tell." in sentences
    assert "You kept 100% (1 of 1) of your promises on time — too few yet to tell." in sentences
    assert not any("top 20%" in s for s in sentences)  # a share of 4 customers says nothing yet
    many = plain_sentences(levels(0, 30, 20, 5), [cohort(40, 10)], PromiseFigures(kept_on_time=8, missed=2),
                           Pareto(11, 55, 6000, 10000, []))
    assert "25% (10 of 40) of your first-time buyers came back within 90 days." in many
    assert "You kept 80% (8 of 10) of your promises on time; 2 missed." in many
    assert "Your best 11 customers (the top 20%) bring 60% of your takings." in many
    assert rate_words(0, 0) == "—"


@pytest.mark.parametrize("shape, meaning", [("pyramid", "most customers buy once"), ("hourglass", "few repeat buyers"),
                                            ("hexagon", "few recommend you yet"), ("inverted pyramid", "the ideal")])
def test_the_shape_is_named_with_what_it_means(shape, meaning):
    assert shape_words(shape).startswith(f"{shape} — ") and meaning in shape_words(shape)


def test_cli_table_leads_with_the_sentences_and_keeps_parameters_for_the_details(shop, make):
    from shopkeeper.insights import compute_insights
    from shopkeeper.insights_report import print_insights

    for n in range(12):
        cid = make.customer(f"Customer {n}", phones=[f"06000000{n:02d}"], on=make.ago(200))
        make.sale(cid, make.ago(200 - n), 2000 + 100 * n)
        if n % 2:
            make.sale(cid, make.ago(150 - n), 1500)
    out = io.StringIO()
    print_insights(compute_insights(shop, make.today, remember_models=False), "EUR", out, "FR")
    text = out.getvalue()
    assert text.index("In short") < text.index("Shape:")
    assert "came back within 90 days" in text and re.search(r"Shape: [a-z ]+ — ", text)
    assert re.search(r"\d+% \(\d+ of \d+\)", text)  # rates with their counts
    if "BG/NBD" in text:
        assert text.index("BG/NBD") > text.index("At risk")  # parameters last, under "Details"
