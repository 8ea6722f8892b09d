"""Admin units of Đống Đa over time, as loaded from core/data/ha_noi_dong_da.json."""

import datetime as dt
import json

import pytest

from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import AdminUnit, AdminUnitSuccession, LegalBasis, Office, OfficeKind
from chinhquyenso.core.seeding import reference_data_load
from chinhquyenso.core.selectors import admin_unit_get, admin_unit_list_children

pytestmark = pytest.mark.django_db

WARDS_2024 = {
    "Cát Linh", "Hàng Bột", "Khâm Thiên", "Khương Thượng", "Kim Liên", "Láng Hạ", "Láng Thượng",
    "Nam Đồng", "Ngã Tư Sở", "Ô Chợ Dừa", "Phương Liên", "Phương Mai", "Quang Trung", "Quốc Tử Giám",
    "Thịnh Quang", "Thổ Quan", "Trung Liệt", "Trung Phụng", "Trung Tự", "Văn Chương", "Văn Miếu",
}  # fmt: skip
CLOSED_ON_1_JANUARY_2025 = {"Ngã Tư Sở", "Phương Liên", "Quốc Tử Giám", "Trung Phụng", "Trung Tự", "Văn Miếu"}
NEW_WARDS_JULY_2025 = [
    "Bạch Mai", "Đống Đa", "Giảng Võ", "Kim Liên", "Láng", "Ô Chợ Dừa", "Văn Miếu - Quốc Tử Giám",
]  # fmt: skip


@pytest.fixture
def dong_da():
    reference_data_load()
    return admin_unit_get(code="006")


def names(units):
    return [unit.name for unit in units]


def test_dong_da_had_21_wards_in_2024(dong_da):
    wards = admin_unit_list_children(parent=dong_da, on=dt.date(2024, 6, 26))

    assert set(names(wards)) == WARDS_2024
    assert len(wards) == 21
    assert {ward.level for ward in wards} == {"commune"}


def test_resolution_1286_leaves_17_wards_from_1_january_2025(dong_da):
    wards = set(names(admin_unit_list_children(parent=dong_da, on=dt.date(2025, 1, 1))))

    assert len(wards) == 17
    assert wards == (WARDS_2024 - CLOSED_ON_1_JANUARY_2025) | {"Phương Liên - Trung Tự", "Văn Miếu - Quốc Tử Giám"}


def test_merged_wards_existed_through_31_december_2024(dong_da):
    on_last_day = set(names(admin_unit_list_children(parent=dong_da, on=dt.date(2024, 12, 31))))

    assert on_last_day == WARDS_2024


def test_district_and_its_wards_end_on_30_june_2025(dong_da):
    assert len(admin_unit_list_children(parent=dong_da, on=dt.date(2025, 6, 30))) == 17
    assert admin_unit_list_children(parent=dong_da, on=dt.date(2025, 7, 1)) == []
    assert dong_da.is_valid_on(dt.date(2025, 6, 30))
    assert not dong_da.is_valid_on(dt.date(2025, 7, 1))


def test_new_wards_sit_directly_under_ha_noi_from_1_july_2025(dong_da):
    ha_noi = admin_unit_get(code="01")

    after = admin_unit_list_children(parent=ha_noi, on=dt.date(2025, 8, 1))
    before = admin_unit_list_children(parent=ha_noi, on=dt.date(2025, 6, 30))

    assert names(after) == NEW_WARDS_JULY_2025  # in Vietnamese alphabetical order
    assert {unit.valid_from for unit in after} == {dt.date(2025, 7, 1)}
    assert names(before) == ["Đống Đa"]
    assert before[0].level == "district"


def test_without_a_date_every_era_is_listed(dong_da):
    assert len(admin_unit_list_children(parent=dong_da, on=None)) == 21 + 2


def test_every_ward_open_on_30_june_2025_hands_its_land_to_a_new_ward(dong_da):
    for ward in admin_unit_list_children(parent=dong_da, on=dt.date(2025, 6, 30)):
        links = ward.successions_out.filter(effective_on=dt.date(2025, 7, 1))
        assert links.exists(), ward.name
        assert all(link.successor.parent.code == "01" for link in links), ward.name
        assert all(link.legal_basis.number == "1656/NQ-UBTVQH15" for link in links)


def test_a_unit_passed_whole_goes_to_one_successor_only(dong_da):
    for link in AdminUnitSuccession.objects.filter(kind="whole"):
        same_day = AdminUnitSuccession.objects.filter(predecessor=link.predecessor, effective_on=link.effective_on)
        assert same_day.count() == 1, link


def test_a_closed_unit_ends_the_day_before_its_succession_takes_effect(dong_da):
    for link in AdminUnitSuccession.objects.select_related("predecessor", "successor"):
        assert link.predecessor.valid_to == link.effective_on - dt.timedelta(days=1), link
        assert link.successor.is_valid_on(link.effective_on), link


def test_only_the_unverified_parts_of_resolution_1286_are_marked_uncertain(dong_da):
    uncertain = AdminUnitSuccession.objects.filter(certain=False).select_related("predecessor")

    assert {link.predecessor.name for link in uncertain} == {"Ngã Tư Sở", "Trung Phụng"}
    assert all(link.note for link in uncertain)
    assert "Trung Phụng" in LegalBasis.objects.get(number="1286/NQ-UBTVQH15").note


def test_every_unit_says_where_its_code_comes_from(dong_da):
    for unit in AdminUnit.objects.all():
        if unit.code.isdigit():
            assert "Tổng cục Thống kê" in unit.note, unit
        else:
            # new units reuse a predecessor's national code, which the unique code column cannot hold
            assert "MÃ NỘI BỘ" in unit.note, unit


def test_every_ward_has_a_one_stop_desk_and_a_leadership_office_for_its_whole_life(dong_da):
    wards = AdminUnit.objects.filter(level="commune")
    assert wards.count() == 21 + 2 + 7
    for ward in wards:
        for kind in (OfficeKind.ONE_STOP, OfficeKind.LEADERSHIP):
            office = Office.objects.get(admin_unit=ward, kind=kind)
            assert (office.valid_from, office.valid_to) == (ward.valid_from, ward.valid_to)


def test_the_district_of_2024_has_its_specialist_offices(dong_da):
    offices = set(Office.objects.filter(admin_unit=dong_da).values_list("name", flat=True))

    assert {
        "Văn phòng HĐND và UBND quận Đống Đa",
        "Phòng Tư pháp quận Đống Đa",
        "Phòng Tài nguyên và Môi trường quận Đống Đa",
        "Phòng Quản lý đô thị quận Đống Đa",
        "Phòng Tài chính - Kế hoạch quận Đống Đa",
        "Thanh tra quận Đống Đa",
        "Bộ phận Một cửa quận Đống Đa",
    } <= offices


def test_loading_again_changes_nothing(dong_da):
    def snapshot():
        return (
            list(AdminUnit.objects.order_by("code").values()),
            list(AdminUnitSuccession.objects.order_by("id").values()),
            list(Office.objects.order_by("code").values()),
            list(LegalBasis.objects.order_by("number").values()),
        )

    before = snapshot()
    reference_data_load()

    assert snapshot() == before


def test_a_data_file_naming_an_unknown_parent_is_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "units.json"
    path.write_text(
        json.dumps(
            {
                "units": [
                    {"code": "79", "name": "Hồ Chí Minh", "kind_name": "thành phố", "level": "province"},
                    {"code": "760", "name": "1", "kind_name": "quận", "level": "district", "parent": "99"},
                ]
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(InvalidInput) as refused:
        reference_data_load(path=path)

    assert "99" in refused.value.message
    assert refused.value.fields == {"units[1]": "unknown"}
    assert not AdminUnit.objects.exists()


def test_a_data_file_with_a_malformed_date_names_the_entry(tmp_path):
    path = tmp_path / "units.json"
    path.write_text(
        json.dumps(
            {
                "units": [
                    {
                        "code": "01",
                        "name": "Hà Nội",
                        "kind_name": "thành phố",
                        "level": "province",
                        "valid_from": "01/07/2025",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(InvalidInput) as refused:
        reference_data_load(path=path)

    assert "units[0]" in refused.value.message
    assert "01/07/2025" in refused.value.message
