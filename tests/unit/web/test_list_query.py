"""A list's query string is read the same way for a page and its JSON twin (web.listing)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from altmatch.db.listing import MAX_PER_PAGE, PER_PAGE, ListQuery, ListSpec, Page
from altmatch.services.kernel.errors import RuleError
from altmatch.web.listing import parse_list_query

SPEC = ListSpec(
    sorts=("order", "name", "chance"),
    filters={"outcome": ("placed", "unplaced"), "prefecture": None},
)


def test_an_empty_query_string_is_the_first_page_in_the_default_order() -> None:
    assert parse_list_query({}, SPEC) == ListQuery(
        q="", sort="", dir="asc", page=1, per_page=PER_PAGE
    )


def test_every_part_is_read_and_whitespace_in_the_search_is_collapsed() -> None:
    found = parse_list_query(
        {
            "q": "  Emily   Smith ",
            "sort": "chance",
            "dir": "desc",
            "outcome": "placed",
            "prefecture": " Hyogo ",
            "page": "3",
            "per_page": "20",
            "unknown": "ignored",
        },
        SPEC,
    )
    assert found == ListQuery(
        q="Emily Smith",
        sort="chance",
        dir="desc",
        filters={"outcome": "placed", "prefecture": "Hyogo"},
        page=3,
        per_page=20,
    )
    assert found.offset == 40


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "salary"}, "sort"),
        ({"dir": "up"}, "dir"),
        ({"outcome": "maybe"}, "outcome"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": str(MAX_PER_PAGE + 1)}, "per_page"),
        ({"per_page": "-5"}, "per_page"),
        ({"prefecture": "x" * 101}, "prefecture"),
    ],
)
def test_a_value_the_list_does_not_have_is_refused_naming_the_parameter(
    params: dict[str, str], field: str
) -> None:
    with pytest.raises(RuleError) as refused:
        parse_list_query(params, SPEC)
    assert refused.value.field == field


def test_the_refusal_says_which_sort_keys_exist() -> None:
    with pytest.raises(RuleError) as refused:
        parse_list_query({"sort": "salary"}, SPEC)
    assert refused.value.message.params == {"name": "sort", "allowed": "order, name, chance"}


def test_a_long_search_is_cut_rather_than_refused() -> None:
    assert parse_list_query({"q": "a" * 500}, SPEC).q == "a" * 100


def _pairs(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_links_keep_the_whole_state_and_a_new_sort_or_filter_goes_back_to_page_one() -> None:
    query = ListQuery(q="kobe", sort="name", dir="desc", filters={"outcome": "placed"}, page=4)

    assert _pairs(query.url("/x")) == {
        "q": "kobe",
        "sort": "name",
        "dir": "desc",
        "outcome": "placed",
        "page": "4",
    }
    assert _pairs(query.url("/x", page=5))["page"] == "5"
    assert "page" not in _pairs(query.url("/x", sort="chance", dir="asc"))
    assert "outcome" not in _pairs(query.url("/x", outcome=None))
    assert ListQuery().url("/x") == "/x"
    # what a link says is what parsing it gives back
    assert parse_list_query(_pairs(query.url("/x")), SPEC) == query


def test_a_page_counts_its_rows_and_pages() -> None:
    page = Page(rows=[(1,), (2,)], total=52, query=ListQuery(page=2, per_page=50))
    assert (page.first, page.last, page.pages) == (51, 52, 2)
    assert Page(rows=[], total=0, query=ListQuery()).pages == 1
