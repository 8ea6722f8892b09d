"""Public procedure pages: a citizen finds the procedure and learns what to bring, how long, how much."""

import datetime as dt

import pytest

from chinhquyenso.procedures.catalog_io import catalog_load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))


def test_procedure_list_groups_by_field_and_finds_without_diacritics(client, catalog):
    page = client.get("/thu-tuc/?q=dang+ky+khai+sinh").content.decode()
    assert "đăng ký khai sinh" in page.lower() and "/thu-tuc/1.001193/" in page
    assert "chứng thực bản sao" not in page.lower()
    everything = client.get("/thu-tuc/").content.decode()
    assert "Hộ tịch" in everything and "Chứng thực" in everything


def test_procedure_page_says_what_to_bring_the_time_limit_and_the_fee(client, catalog):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Thành phần hồ sơ" in page and "Thời hạn giải quyết" in page and "Phí, lệ phí" in page
    assert "15 giờ" in page  # same-day procedure: the 15:00 cut-off is explained


def test_unknown_procedure_is_404(client, catalog):
    assert client.get("/thu-tuc/9.999999/").status_code == 404
