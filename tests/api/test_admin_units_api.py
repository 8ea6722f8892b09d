"""GET /api/v1/admin-units: children valid on a date, and the successions between eras."""

import pytest

from chinhquyenso.core.seeding import reference_data_load

pytestmark = pytest.mark.django_db

URL = "/api/v1/admin-units"


@pytest.fixture(autouse=True)
def reference_data():
    reference_data_load()


def by_name(rows, key="name"):
    return {row[key]: row for row in rows}


def test_dong_da_lists_its_21_wards_on_26_june_2024(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"parent": "006", "on": "2024-06-26"})

    assert response.status_code == 200
    wards = by_name(response.json())
    assert len(wards) == 21
    assert wards["Cát Linh"]["code"] == "00178"
    assert wards["Cát Linh"]["full_name"] == "Phường Cát Linh"
    assert wards["Cát Linh"]["parent_code"] == "006"
    assert wards["Trung Phụng"]["valid_to"] == "2024-12-31"
    assert wards["Kim Liên"]["valid_to"] == "2025-06-30"


def test_dong_da_lists_no_ward_after_the_district_level_ended(client):
    response = client.get(URL, {"parent": "006", "on": "2025-08-01"})

    assert response.status_code == 200
    assert response.json() == []


def test_ha_noi_lists_the_new_wards_on_1_august_2025_in_vietnamese_order(client):
    response = client.get(URL, {"parent": "01", "on": "2025-08-01"})

    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == [
        "Bạch Mai", "Đống Đa", "Giảng Võ", "Kim Liên", "Láng", "Ô Chợ Dừa", "Văn Miếu - Quốc Tử Giám",
    ]  # fmt: skip
    assert {row["parent_code"] for row in rows} == {"01"}
    assert {row["valid_from"] for row in rows} == {"2025-07-01"}


def test_ha_noi_lists_the_district_in_2024(client):
    response = client.get(URL, {"parent": "01", "on": "2024-06-26"})

    assert [row["full_name"] for row in response.json()] == ["Quận Đống Đa"]


def test_without_parent_the_top_level_is_listed(client):
    response = client.get(URL, {"on": "2026-01-01"})

    assert [row["code"] for row in response.json()] == ["01"]


def test_thinh_quang_went_whole_to_phuong_dong_da(client):
    response = client.get(f"{URL}/00223/successors")

    assert response.status_code == 200
    (link,) = response.json()
    assert link["successor"]["name"] == "Đống Đa"
    assert link["successor"]["parent_code"] == "01"
    assert link["kind"] == "whole"
    assert link["effective_on"] == "2025-07-01"
    assert link["legal_basis"]["number"] == "1656/NQ-UBTVQH15"
    assert link["legal_basis"]["issued_on"] == "2025-06-16"
    assert link["certain"] is True


def test_lang_ha_was_split_between_three_new_wards(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(f"{URL}/00199/successors")

    links = response.json()
    assert [link["successor"]["name"] for link in links] == ["Đống Đa", "Giảng Võ", "Láng"]
    assert {link["kind"] for link in links} == {"part"}
    assert {link["predecessor"]["name"] for link in links} == {"Láng Hạ"}


def test_new_kim_lien_lists_where_its_land_came_from(client):
    kim_lien = next(
        row for row in client.get(URL, {"parent": "01", "on": "2025-08-01"}).json() if row["name"] == "Kim Liên"
    )

    links = client.get(f"{URL}/{kim_lien['code']}/predecessors").json()

    kinds = {link["predecessor"]["name"]: link["kind"] for link in links}
    assert kinds == {
        "Kim Liên": "whole",
        "Khương Thượng": "whole",
        "Nam Đồng": "part",
        "Phương Liên - Trung Tự": "part",
        "Trung Liệt": "part",
        "Phương Mai": "part",
        "Quang Trung": "part",
    }


def test_the_uncertain_part_of_resolution_1286_is_flagged(client):
    links = client.get(f"{URL}/00235/successors").json()

    targets = {link["successor"]["name"]: link for link in links}
    assert set(targets) == {"Khương Thượng", "Thịnh Quang"}
    assert {link["effective_on"] for link in links} == {"2025-01-01"}
    assert {link["legal_basis"]["number"] for link in links} == {"1286/NQ-UBTVQH15"}
    assert targets["Khương Thượng"]["certain"] is True
    assert targets["Thịnh Quang"]["certain"] is False
    assert "chưa đối chiếu" in targets["Thịnh Quang"]["note"]


def test_a_unit_is_shown_by_its_code(client):
    response = client.get(f"{URL}/006")

    assert response.status_code == 200
    assert response.json()["full_name"] == "Quận Đống Đa"
    assert response.json()["valid_to"] == "2025-06-30"


@pytest.mark.parametrize("path", ["/99999", "/99999/successors", "/99999/predecessors"])
def test_an_unknown_code_is_404_in_the_error_format(client, path):
    response = client.get(URL + path)

    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "not_found"
    assert "99999" in body["message"]


def test_an_unknown_parent_is_404_naming_the_parameter(client):
    response = client.get(URL, {"parent": "99999", "on": "2024-06-26"})

    assert response.status_code == 404
    assert set(response.json()["fields"]) == {"parent"}


@pytest.mark.parametrize("bad", ["2024-13-45", "26/06/2024", "hôm nay"])
def test_a_malformed_date_is_422_naming_the_parameter_in_vietnamese(client, bad):
    response = client.get(URL, {"parent": "006", "on": bad})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert set(body["fields"]) == {"on"}
    assert body["fields"]["on"] == "Phải là ngày dạng YYYY-MM-DD."
    assert "on" in body["message"]
