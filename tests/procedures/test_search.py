"""Finding a procedure the way citizens type: with or without diacritics, in part."""

import datetime as dt

import pytest

from chinhquyenso.procedures.catalog_io import catalog_load_demo
from chinhquyenso.procedures.selectors import procedure_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "  dang   ky khai sinh  "]
)
def test_birth_registration_is_found_with_or_without_diacritics(catalog, query):
    codes = [p.code for p in procedure_search(query=query)]
    assert "1.001193" in codes
    assert codes[0] == "1.001193" or "dang ky lai khai sinh" in query


def test_search_by_national_code_and_by_field(catalog):
    assert [p.code for p in procedure_search(query="1.001193")] == ["1.001193"]
    certification = [p.code for p in procedure_search(query="chung thuc")]
    assert "2.000815" in certification and "1.001193" not in certification


def test_unknown_words_find_nothing(catalog):
    assert list(procedure_search(query="xyzxyz")) == []
