"""Checks of the 12-digit personal identification number (số định danh cá nhân, RULES.md §8.2).

PPP G YY RRRRRR: province of birth registration, century-and-sex digit, year of birth, random part.
Format errors block; inconsistencies with the declared birth date or sex only warn, because legacy records
hold data-entry errors that the desk cannot fix on the spot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Province codes of birth registration (the pre-2025 63 provinces; the number never changes with mergers).
PROVINCE_CODES = frozenset(
    {
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    }
)
CENTURIES = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}


@dataclass
class IdCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    birth_century: int | None = None
    female: bool | None = None


def citizen_id_check(number: str, *, birth_date: dt.date | None = None, female: bool | None = None) -> IdCheck:
    """Format errors (12 digits, known province code) and warnings (century/sex/year vs the declared data)."""
    result = IdCheck()
    if not re.fullmatch(r"\d{12}", number or ""):
        result.errors.append(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        return result
    if number[:3] not in PROVINCE_CODES:
        result.errors.append(
            _("Ba chữ số đầu (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh.") % {"code": number[:3]}
        )
        return result
    digit = int(number[3])
    century = CENTURIES[digit - digit % 2]
    result.birth_century, result.female = century, bool(digit % 2)
    if birth_date is not None:
        if birth_date.year - birth_date.year % 100 != century:
            result.warnings.append(
                _("Chữ số thứ 4 chỉ thế kỷ sinh %(c)s, không khớp năm sinh %(y)s.")
                % {"c": f"{century}–{century + 99}", "y": birth_date.year}
            )
        if f"{birth_date.year % 100:02d}" != number[4:6]:
            result.warnings.append(
                _("Chữ số thứ 5–6 (%(yy)s) không khớp năm sinh %(y)s.") % {"yy": number[4:6], "y": birth_date.year}
            )
    if female is not None and female != result.female:
        result.warnings.append(_("Chữ số thứ 4 không khớp giới tính đã khai."))
    return result
