"""Stand-in for `manage.py seed_demo` while that command does not exist yet: Hà Nội, Đống Đa (006) and
its 21 wards of 2024, enough for the admin-unit list under load. The ward codes are placeholders."""

import datetime as dt

import django

WARDS_2024 = [
    "Cát Linh",
    "Hàng Bột",
    "Khâm Thiên",
    "Khương Thượng",
    "Kim Liên",
    "Láng Hạ",
    "Láng Thượng",
    "Nam Đồng",
    "Ngã Tư Sở",
    "Ô Chợ Dừa",
    "Phương Liên",
    "Phương Mai",
    "Quang Trung",
    "Quốc Tử Giám",
    "Thịnh Quang",
    "Thổ Quan",
    "Trung Liệt",
    "Trung Phụng",
    "Trung Tự",
    "Văn Chương",
    "Văn Miếu",
]


def main() -> None:
    django.setup()
    from chinhquyenso.core.services import admin_unit_upsert

    city = admin_unit_upsert(
        code="01",
        name="Hà Nội",
        kind_name="thành phố",
        level="province",
        parent=None,
        valid_from=None,
        valid_to=None,
    )
    district = admin_unit_upsert(
        code="006",
        name="Đống Đa",
        kind_name="quận",
        level="district",
        parent=city,
        valid_from=None,
        valid_to=dt.date(2025, 6, 30),
    )
    for number, name in enumerate(WARDS_2024, start=1):
        admin_unit_upsert(
            code=f"bench-{number:02d}",
            name=name,
            kind_name="phường",
            level="commune",
            parent=district,
            valid_from=None,
            valid_to=dt.date(2024, 12, 31),
            note="bench placeholder code",
        )


if __name__ == "__main__":
    main()
