"""Import and export of the procedure catalog as JSON, CSV and Excel, with a per-row error report.

One procedure is one row, and each row is its own transaction: a valid row creates or updates the procedure's
draft (and publishes it when asked), an invalid one changes nothing and is reported with its row number, its
procedure code, the field and a Vietnamese message. A row whose content equals the procedure's current version
(its draft, else its latest published version) is left alone, so importing the same file twice adds no version.

Formats (export, then import, gives the same specs):

JSON   ``{"format": "chinhquyenso.procedure-catalog", "format_version": 1, "procedures": [{...}, ...]}`` (a bare list
       is accepted too). Each object has the fields of ``ProcedureSpec``, with ``documents``, ``steps``, ``fees`` and
       ``competences`` as lists of objects. The keys ``source`` and ``note`` are annotations and are not imported.
       Row n is the n-th procedure of the list.

CSV    UTF-8 (a BOM is accepted), comma-separated, one row per procedure, a header naming the columns of
       ``CSV_COLUMNS``; row 1 is the header, so the first procedure is row 2. The four list columns hold one item per
       line inside the cell and the parts of an item separated by ``|``:

       documents    ``name | form | sets | mandatory``          e.g. ``Tờ khai | original | 1 | có``
       steps        ``kind | name | role | quota | quota_unit | office_name``
                    e.g. ``receive | Tiếp nhận hồ sơ | desk_officer | 1 | half_days``
       fees         ``description | amount``                    e.g. ``Phí chứng thực chữ ký | 10000``
       competences  ``level | office_name | valid_from | valid_to``  e.g. ``district | UBND quận | | 2025-06-30``

       form is original, copy, certified_copy or shown; mandatory is có/không (also yes/no, 1/0, true/false);
       quota_unit is working_days, half_days or working_hours; dates are YYYY-MM-DD; trailing parts may be left out
       (form original, sets 1, mandatory có, office_name and dates empty). Inside a part, ``\\|`` is a literal bar,
       ``\\n`` a line break and ``\\\\`` a backslash.

Excel  One sheet per kind: ``procedures`` (the scalar columns of the CSV), ``documents``, ``steps``, ``fees`` and
       ``competences`` (each row: the procedure ``code``, an ``order`` and the item's fields). Errors in a child row
       name its sheet and row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chinhquyenso.core.errors import DomainError, InvalidInput
from chinhquyenso.core.models import User
from chinhquyenso.procedures.catalog import (
    CompetenceSpec,
    DocumentSpec,
    FeeSpec,
    ProcedureSpec,
    StepSpec,
    procedure_publish,
    procedure_save_draft,
    version_to_spec,
)
from chinhquyenso.procedures.models import Procedure, ProcedureVersion, VersionStatus

DEMO_CATALOG_FILE = Path(__file__).resolve().parent / "data" / "catalog_hanoi_ward.json"
FORMATS = ("json", "csv", "xlsx")
JSON_FORMAT_NAME = "chinhquyenso.procedure-catalog"

SCALAR_COLUMNS = [
    "code",
    "name",
    "field",
    "level",
    "time_limit",
    "time_limit_unit",
    "same_day_cutoff",
    "online_level",
    "required_assurance_level",
    "paper_result",
    "result_name",
    "applicant_kind",
    "method",
    "conditions",
    "legal_bases",
]
LIST_COLUMNS = ["documents", "steps", "fees", "competences"]
CSV_COLUMNS = SCALAR_COLUMNS + LIST_COLUMNS
ANNOTATION_KEYS = {"source", "note"}
REQUIRED_KEYS = ["code", "name", "field", "level", "time_limit", "time_limit_unit", "online_level"]

# parts of an item, in the order the CSV cells and the Excel sheets write them
ITEM_PARTS = {
    "documents": ["name", "form", "sets", "mandatory"],
    "steps": ["kind", "name", "role", "quota", "quota_unit", "office_name"],
    "fees": ["description", "amount"],
    "competences": ["level", "office_name", "valid_from", "valid_to"],
}
ITEM_REQUIRED = {"documents": 1, "steps": 5, "fees": 2, "competences": 2}


@dataclass
class RowError:
    """One refused row: where it is (sheet, row), which procedure, which field, and why."""

    row: int
    code: str
    field: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        where = _("Dòng %(row)s") % {"row": self.row}
        if self.sheet:
            where = _("Trang %(sheet)s, dòng %(row)s") % {"sheet": self.sheet, "row": self.row}
        if self.code:
            where += " " + _("(mã %(code)s)") % {"code": self.code}
        if self.field:
            where += ", " + _("trường %(field)s") % {"field": self.field}
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def lines(self) -> list[str]:
        summary = _(
            "Tạo mới: %(created)s; cập nhật bản nháp: %(updated)s; không thay đổi: %(unchanged)s; "
            "đã công bố: %(published)s; dòng lỗi: %(errors)s."
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "published": len(self.published),
            "errors": len({(e.sheet, e.row) for e in self.errors}),
        }
        return [summary, *(str(error) for error in self.errors)]


@dataclass
class ParsedRow:
    """A procedure read from a file: its spec when readable, else the problems found."""

    row: int
    code: str
    spec: ProcedureSpec | None
    errors: list[RowError]
    sheet: str = ""
    # (list name, 1-based index) → (sheet, row) of the Excel child row, so service errors point at it
    locations: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- reading values


class _Problems:
    """Collects the field errors of one row; values that cannot be read become None."""

    def __init__(self, *, row: int, code: str, sheet: str = ""):
        self.row, self.code, self.sheet = row, code, sheet
        self.errors: list[RowError] = []

    def add(self, key: str, message: str, *, row: int | None = None, sheet: str | None = None) -> None:
        self.errors.append(
            RowError(
                row=row if row is not None else self.row,
                code=self.code,
                field=key,
                message=message,
                sheet=self.sheet if sheet is None else sheet,
            )
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value: Any, key: str, problems: _Problems, label: str) -> Decimal | None:
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(_text(value).replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
        return number
    except InvalidOperation:
        problems.add(
            key, _("%(label)s phải là một số (đọc được: %(value)s).") % {"label": label, "value": _shown(value)}
        )
        return None


def _shown(value: Any) -> str:
    return _text(value) or _("ô trống")


_THOUSANDS = re.compile(r"^\d{1,3}([., ]\d{3})+$")


def _integer(value: Any, key: str, problems: _Problems, label: str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if _THOUSANDS.match(text):
        # 8.000 or 8,000 or "8 000": the way amounts in đồng are usually written
        text = re.sub(r"[., ]", "", text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    problems.add(
        key, _("%(label)s phải là số nguyên (đọc được: %(value)s).") % {"label": label, "value": _shown(value)}
    )
    return None


_TRUE = {"1", "true", "yes", "y", "có", "co", "x", "bắt buộc"}
_FALSE = {"0", "false", "no", "n", "không", "khong", "", "không bắt buộc"}


def _boolean(value: Any, key: str, problems: _Problems, label: str, *, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return default
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return default if text == "" else False
    problems.add(key, _("%(label)s phải là có hoặc không (đọc được: %(value)s).") % {"label": label, "value": value})
    return default


def _date(value: Any, key: str, problems: _Problems, label: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.add(
            key, _("%(label)s phải có dạng YYYY-MM-DD (đọc được: %(value)s).") % {"label": label, "value": text}
        )
        return None


def _time(value: Any, key: str, problems: _Problems, label: str) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.time.fromisoformat(text if len(text) != 4 else f"0{text}")
    except ValueError:
        problems.add(key, _("%(label)s phải có dạng HH:MM (đọc được: %(value)s).") % {"label": label, "value": text})
        return None


def _unknown_keys(data: Mapping[str, Any], allowed: Iterable[str], prefix: str, problems: _Problems) -> None:
    for key in data:
        if key not in allowed and key not in ANNOTATION_KEYS:
            problems.add(f"{prefix}{key}", _("Trường không được hỗ trợ: %(key)s.") % {"key": key})


def _document(data: Mapping[str, Any], key: str, problems: _Problems) -> DocumentSpec:
    _unknown_keys(data, ITEM_PARTS["documents"], f"{key}.", problems)
    raw_sets = data.get("sets")
    sets = 1 if _text(raw_sets) == "" else _integer(raw_sets, f"{key}.sets", problems, _("Số bộ"))
    return DocumentSpec(
        name=_text(data.get("name")),
        form=_text(data.get("form")) or "original",
        sets=sets if sets is not None else 1,
        mandatory=_boolean(data.get("mandatory"), f"{key}.mandatory", problems, _("Bắt buộc"), default=True),
    )


def _step(data: Mapping[str, Any], key: str, problems: _Problems) -> StepSpec:
    _unknown_keys(data, ITEM_PARTS["steps"], f"{key}.", problems)
    quota = _decimal(data.get("quota"), f"{key}.quota", problems, _("Thời gian của bước"))
    return StepSpec(
        name=_text(data.get("name")),
        role=_text(data.get("role")),
        quota=quota if quota is not None else Decimal(0),
        quota_unit=_text(data.get("quota_unit")),
        kind=_text(data.get("kind")) or "process",
        office_name=_text(data.get("office_name")),
    )


def _fee(data: Mapping[str, Any], key: str, problems: _Problems) -> FeeSpec:
    _unknown_keys(data, ITEM_PARTS["fees"], f"{key}.", problems)
    amount = _integer(data.get("amount"), f"{key}.amount", problems, _("Mức thu"))
    return FeeSpec(description=_text(data.get("description")), amount=amount if amount is not None else 0)


def _competence(data: Mapping[str, Any], key: str, problems: _Problems) -> CompetenceSpec:
    _unknown_keys(data, ITEM_PARTS["competences"], f"{key}.", problems)
    return CompetenceSpec(
        level=_text(data.get("level")),
        office_name=_text(data.get("office_name")),
        valid_from=_date(data.get("valid_from"), f"{key}.valid_from", problems, _("Từ ngày")),
        valid_to=_date(data.get("valid_to"), f"{key}.valid_to", problems, _("Đến hết ngày")),
    )


_ITEM_READERS: dict[str, Callable[[Mapping[str, Any], str, _Problems], Any]] = {
    "documents": _document,
    "steps": _step,
    "fees": _fee,
    "competences": _competence,
}


def _spec_from_mapping(data: Mapping[str, Any], problems: _Problems) -> ProcedureSpec | None:
    """A spec from plain values (JSON objects, CSV cells, Excel rows); None when something cannot be read."""
    before = len(problems.errors)
    _unknown_keys(data, CSV_COLUMNS, "", problems)
    for key in REQUIRED_KEYS:
        if _text(data.get(key)) == "" and key != "time_limit":
            problems.add(key, _("Thiếu giá trị bắt buộc."))
    unit = _text(data.get("time_limit_unit"))
    raw_limit = data.get("time_limit")
    if _text(raw_limit) == "" and unit == "same_day":
        raw_limit = 1  # "within the day" needs no number
    time_limit = _decimal(raw_limit, "time_limit", problems, _("Thời hạn giải quyết"))
    assurance = _integer(
        data.get("required_assurance_level") if _text(data.get("required_assurance_level")) else 1,
        "required_assurance_level",
        problems,
        _("Mức định danh điện tử"),
    )
    lists: dict[str, list[Any]] = {}
    for name, reader in _ITEM_READERS.items():
        items = data.get(name) or []
        if not isinstance(items, list):
            problems.add(name, _("Phải là một danh sách."))
            items = []
        lists[name] = []
        for index, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                problems.add(f"{name}.{index}", _("Mỗi mục phải là một đối tượng."))
                continue
            lists[name].append(reader(item, f"{name}.{index}", problems))
    spec = ProcedureSpec(
        code=_text(data.get("code")),
        name=_text(data.get("name")),
        field=_text(data.get("field")),
        level=_text(data.get("level")),
        time_limit=time_limit if time_limit is not None else Decimal(0),
        time_limit_unit=unit,
        online_level=_text(data.get("online_level")),
        same_day_cutoff=_time(data.get("same_day_cutoff"), "same_day_cutoff", problems, _("Giờ tiếp nhận muộn nhất")),
        required_assurance_level=assurance if assurance is not None else 1,
        paper_result=_boolean(
            data.get("paper_result"), "paper_result", problems, _("Kết quả là giấy tờ"), default=True
        ),
        result_name=_text(data.get("result_name")),
        applicant_kind=_text(data.get("applicant_kind")),
        method=_text(data.get("method")),
        conditions=_text(data.get("conditions")),
        legal_bases=_text(data.get("legal_bases")),
        documents=lists["documents"],
        steps=lists["steps"],
        fees=lists["fees"],
        competences=lists["competences"],
    )
    return spec if len(problems.errors) == before else None


# ---------------------------------------------------------------------------------------------- file readers


def catalog_read(*, content: bytes, fmt: str) -> list[ParsedRow]:
    """Parse a catalog file into rows; a file that cannot be read at all raises InvalidInput."""
    readers = {"json": _read_json, "csv": _read_csv, "xlsx": _read_xlsx}
    if fmt not in readers:
        raise InvalidInput(
            _("Định dạng tệp không hỗ trợ: %(fmt)s (chỉ json, csv, xlsx).") % {"fmt": fmt}, fields={"format": fmt}
        )
    rows = readers[fmt](content)
    _flag_duplicates(rows)
    return rows


def _read_json(content: bytes) -> list[ParsedRow]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(_("Tệp JSON không đọc được: %(error)s") % {"error": exc}, fields={"file": "json"}) from exc
    if isinstance(data, Mapping):
        if data.get("format", JSON_FORMAT_NAME) != JSON_FORMAT_NAME:
            raise InvalidInput(_("Tệp JSON không phải danh mục thủ tục."), fields={"file": "format"})
        data = data.get("procedures")
    if not isinstance(data, list):
        raise InvalidInput(_('Tệp JSON phải có danh sách "procedures".'), fields={"file": "procedures"})
    rows = []
    for index, item in enumerate(data, start=1):
        code = _text(item.get("code")) if isinstance(item, Mapping) else ""
        problems = _Problems(row=index, code=code)
        if not isinstance(item, Mapping):
            problems.add("", _("Mỗi thủ tục phải là một đối tượng JSON."))
            rows.append(ParsedRow(row=index, code=code, spec=None, errors=problems.errors))
            continue
        spec = _spec_from_mapping(item, problems)
        rows.append(ParsedRow(row=index, code=code, spec=spec, errors=problems.errors))
    return rows


def _read_csv(content: bytes) -> list[ParsedRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("Tệp CSV phải mã hóa UTF-8."), fields={"file": "encoding"}) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_KEYS if column not in header]
    if missing:
        raise InvalidInput(
            _("Tệp CSV thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}, fields={"file": "header"}
        )
    rows = []
    for index, record in enumerate(reader, start=2):
        values = {key: value for key, value in record.items() if key is not None}
        code = _text(values.get("code"))
        problems = _Problems(row=index, code=code)
        if None in record:
            problems.add("", _("Dòng có nhiều ô hơn tiêu đề."))
        for name in LIST_COLUMNS:
            values[name] = _cell_items(name, values.get(name) or "", problems)
        spec = _spec_from_mapping(values, problems)
        rows.append(ParsedRow(row=index, code=code, spec=spec if not problems.errors else None, errors=problems.errors))
    return rows


def _cell_items(name: str, cell: str, problems: _Problems) -> list[dict[str, str]]:
    parts_names = ITEM_PARTS[name]
    items = []
    lines = [line for line in re.split(r"\r?\n", cell) if line.strip()]
    for index, line in enumerate(lines, start=1):
        parts = [part.strip() for part in _split_escaped(line)]
        if len(parts) > len(parts_names) or len(parts) < ITEM_REQUIRED[name]:
            problems.add(
                f"{name}.{index}",
                _("Mục %(n)s cần từ %(min)s đến %(max)s phần cách nhau bởi |: %(syntax)s.")
                % {
                    "n": index,
                    "min": ITEM_REQUIRED[name],
                    "max": len(parts_names),
                    "syntax": " | ".join(parts_names),
                },
            )
            continue
        items.append(dict(zip(parts_names, parts, strict=False)))
    return items


def _split_escaped(line: str) -> list[str]:
    parts, current, chars = [], [], iter(line)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append("\n" if following == "n" else following)
        elif char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _read_xlsx(content: bytes) -> list[ParsedRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(_("Tệp Excel không đọc được."), fields={"file": "xlsx"}) from exc
    if "procedures" not in workbook.sheetnames:
        raise InvalidInput(_('Tệp Excel thiếu trang "procedures".'), fields={"file": "procedures"})
    sheets = {
        name: _sheet_records(workbook[name]) for name in ["procedures", *LIST_COLUMNS] if name in workbook.sheetnames
    }
    children: dict[str, dict[str, list[tuple[int, dict[str, Any]]]]] = {name: {} for name in LIST_COLUMNS}
    orphans: list[RowError] = []
    procedure_codes = {_text(record.get("code")) for _row, record in sheets["procedures"]}
    for name in LIST_COLUMNS:
        for row, record in sheets.get(name, []):
            code = _text(record.get("code"))
            if code not in procedure_codes:
                orphans.append(
                    RowError(
                        row=row,
                        code=code,
                        field="code",
                        message=_("Không có thủ tục mã %(code)s trong trang procedures.") % {"code": code or "∅"},
                        sheet=name,
                    )
                )
                continue
            children[name].setdefault(code, []).append((row, record))
    rows = []
    for row, record in sheets["procedures"]:
        code = _text(record.get("code"))
        problems = _Problems(row=row, code=code, sheet="procedures")
        if isinstance(record.get("code"), int | float):
            # 1.000690 typed into a number cell reads back as 1.00069: refuse rather than import the wrong code
            problems.add(
                "code", _("Ô mã thủ tục phải ở dạng văn bản (Excel đã đổi thành số %(value)s).") % {"value": code}
            )
        values = dict(record)
        locations: dict[tuple[str, int], tuple[str, int]] = {}
        for name in LIST_COLUMNS:
            ordered = sorted(children[name].get(code, []), key=lambda item: (_order(item[1]), item[0]))
            values[name] = []
            for index, (child_row, child) in enumerate(ordered, start=1):
                locations[(name, index)] = (name, child_row)
                values[name].append({key: value for key, value in child.items() if key not in ("code", "order")})
        spec = _spec_from_mapping(values, problems)
        for error in problems.errors:
            _relocate(error, locations)
        rows.append(
            ParsedRow(row=row, code=code, spec=spec, errors=problems.errors, sheet="procedures", locations=locations)
        )
    if orphans:
        rows.append(ParsedRow(row=0, code="", spec=None, errors=orphans))
    return rows


def _order(record: Mapping[str, Any]) -> int:
    value = record.get("order")
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _sheet_records(sheet) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())]
    records = []
    for number, cells in enumerate(rows, start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        records.append((number, {key: cells[i] if i < len(cells) else None for i, key in enumerate(header) if key}))
    return records


def _relocate(error: RowError, locations: Mapping[tuple[str, int], tuple[str, int]]) -> None:
    """Point an error about the n-th item of a list at the Excel row that holds that item."""
    parts = error.field.split(".")
    if len(parts) >= 2 and parts[1].isdigit() and (parts[0], int(parts[1])) in locations:
        error.sheet, error.row = locations[(parts[0], int(parts[1]))]
        # on the child sheet the column name says it all: "steps.4.role" becomes "role"
        error.field = ".".join(parts[2:]) or parts[0]


def _flag_duplicates(rows: list[ParsedRow]) -> None:
    seen: dict[str, int] = {}
    for parsed in rows:
        if not parsed.code:
            continue
        if parsed.code in seen:
            parsed.spec = None
            parsed.errors.append(
                RowError(
                    row=parsed.row,
                    code=parsed.code,
                    field="code",
                    message=_("Mã thủ tục bị trùng trong tệp (đã có ở dòng %(row)s).") % {"row": seen[parsed.code]},
                    sheet=parsed.sheet,
                )
            )
        else:
            seen[parsed.code] = parsed.row


# ---------------------------------------------------------------------------------------------- import


def catalog_import(
    *,
    content: bytes,
    fmt: str,
    actor: User | None,
    publish: bool = False,
    valid_from: dt.date | None = None,
) -> ImportReport:
    """Import a catalog file row by row: each valid row lands in its own transaction, each invalid one is reported."""
    report = ImportReport()
    try:
        rows = catalog_read(content=content, fmt=fmt)
    except InvalidInput as exc:
        report.errors.append(RowError(row=0, code="", field=next(iter(exc.fields), "file"), message=exc.message))
        return report
    for parsed in rows:
        if parsed.errors or parsed.spec is None:
            report.errors.extend(parsed.errors)
            continue
        try:
            with transaction.atomic():
                outcome, published = _import_one(parsed.spec, actor=actor, publish=publish, valid_from=valid_from)
        except DomainError as exc:
            report.errors.extend(_service_errors(parsed, exc.fields or {"": exc.message}))
            continue
        except ValidationError as exc:
            fields = {key: " ".join(messages) for key, messages in exc.message_dict.items()}
            report.errors.extend(_service_errors(parsed, fields))
            continue
        getattr(report, outcome).append(parsed.spec.code)
        if published:
            report.published.append(parsed.spec.code)
    return report


def _import_one(
    spec: ProcedureSpec, *, actor: User | None, publish: bool, valid_from: dt.date | None
) -> tuple[str, bool]:
    """(created | updated | unchanged, whether a version was published)."""
    procedure = Procedure.objects.filter(code=spec.code).first()
    if procedure is not None:
        draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
        current = draft or procedure.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
        if current is not None and _same(version_to_spec(current), spec):
            # same content: no new version; an unchanged draft is still published when asked
            if draft is not None and publish:
                procedure_publish(code=spec.code, actor=actor, valid_from=valid_from)
                return "unchanged", True
            return "unchanged", False
    procedure_save_draft(spec=spec, actor=actor)
    if publish:
        procedure_publish(code=spec.code, actor=actor, valid_from=valid_from)
    return ("created" if procedure is None else "updated"), publish


def _same(current: ProcedureSpec, incoming: ProcedureSpec) -> bool:
    if not incoming.competences:
        # an import without competences keeps the procedure's own (procedure_save_draft leaves them alone)
        incoming = replace(incoming, competences=current.competences)
    return _canonical(current) == _canonical(incoming)


def _canonical(spec: ProcedureSpec) -> ProcedureSpec:
    return replace(spec, competences=_sorted_competences(spec.competences))


def _sorted_competences(competences: Iterable[CompetenceSpec]) -> list[CompetenceSpec]:
    return sorted(
        competences,
        key=lambda c: (c.valid_from or dt.date.min, c.valid_to or dt.date.max, c.level, c.office_name),
    )


def _service_errors(parsed: ParsedRow, fields: Mapping[str, str]) -> list[RowError]:
    errors = []
    for key, message in fields.items():
        error = RowError(row=parsed.row, code=parsed.code, field=key, message=str(message), sheet=parsed.sheet)
        _relocate(error, parsed.locations)
        errors.append(error)
    return errors


# ---------------------------------------------------------------------------------------------- export


def catalog_specs(*, drafts: bool = False) -> list[ProcedureSpec]:
    """The latest published version of every procedure (or its draft, where one exists, when drafts is set)."""
    versions = (
        ProcedureVersion.objects.select_related("procedure__field")
        .prefetch_related("documents", "steps", "fees", "procedure__competences")
        .order_by("procedure__code", "-number")
    )
    chosen: dict[str, ProcedureVersion] = {}
    for version in versions:
        # newest first, and a draft is always the newest version of its procedure
        if version.status == VersionStatus.DRAFT and not drafts:
            continue
        chosen.setdefault(version.procedure.code, version)
    return [_canonical(version_to_spec(chosen[code])) for code in sorted(chosen)]


def catalog_export(*, fmt: str, drafts: bool = False) -> bytes:
    """The catalog as a file in the given format (json, csv or xlsx)."""
    return catalog_dump(specs=catalog_specs(drafts=drafts), fmt=fmt)


def catalog_dump(*, specs: list[ProcedureSpec], fmt: str) -> bytes:
    writers = {"json": catalog_dump_json, "csv": catalog_dump_csv, "xlsx": catalog_dump_xlsx}
    if fmt not in writers:
        raise InvalidInput(
            _("Định dạng tệp không hỗ trợ: %(fmt)s (chỉ json, csv, xlsx).") % {"fmt": fmt}, fields={"format": fmt}
        )
    return writers[fmt](specs)


def _number(value: Decimal) -> int | float:
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _item_dict(name: str, item: Any) -> dict[str, Any]:
    return {part: _plain(getattr(item, part)) for part in ITEM_PARTS[name]}


def _spec_dict(spec: ProcedureSpec) -> dict[str, Any]:
    data = {key: _plain(getattr(spec, key)) for key in SCALAR_COLUMNS}
    for name in LIST_COLUMNS:
        data[name] = [_item_dict(name, item) for item in getattr(spec, name)]
    return data


def catalog_dump_json(specs: Iterable[ProcedureSpec]) -> bytes:
    document = {
        "format": JSON_FORMAT_NAME,
        "format_version": 1,
        "procedures": [_spec_dict(spec) for spec in specs],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(_plain(value))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "\\n")


def catalog_dump_csv(specs: Iterable[ProcedureSpec]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for spec in specs:
        row = [_cell_text(getattr(spec, key)) for key in SCALAR_COLUMNS]
        for name in LIST_COLUMNS:
            lines = []
            for item in getattr(spec, name):
                parts = [_escape(_cell_text(getattr(item, part))) for part in ITEM_PARTS[name]]
                while len(parts) > ITEM_REQUIRED[name] and parts[-1] == "":
                    parts.pop()
                lines.append(" | ".join(parts))
            row.append("\n".join(lines))
        writer.writerow(row)
    # a BOM so that Excel opens the file as UTF-8
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def catalog_dump_xlsx(specs: Iterable[ProcedureSpec]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    procedures = workbook.active
    procedures.title = "procedures"
    procedures.append(SCALAR_COLUMNS)
    sheets = {}
    for name in LIST_COLUMNS:
        sheets[name] = workbook.create_sheet(name)
        sheets[name].append(["code", "order", *ITEM_PARTS[name]])
    for spec in specs:
        procedures.append([_xlsx_value(getattr(spec, key)) for key in SCALAR_COLUMNS])
        for name in LIST_COLUMNS:
            for order, item in enumerate(getattr(spec, name), start=1):
                sheets[name].append([spec.code, order, *(_xlsx_value(getattr(item, p)) for p in ITEM_PARTS[name])])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return _cell_text(value)
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.time | dt.date):
        # text, not Excel dates: a date cell comes back as a datetime and a time cell depends on the number format
        return _plain(value)
    return value


# ---------------------------------------------------------------------------------------------- demo


def catalog_load_demo(
    *, actor: User | None = None, publish: bool = True, valid_from: dt.date | None = None
) -> ImportReport:
    """Load the demo catalog of real ward-level procedures (Hà Nội); running it again changes nothing."""
    report = catalog_import(
        content=DEMO_CATALOG_FILE.read_bytes(), fmt="json", actor=actor, publish=publish, valid_from=valid_from
    )
    if not report.ok:
        raise InvalidInput("\n".join(report.lines()), fields={"file": str(DEMO_CATALOG_FILE.name)})
    return report


def format_from_name(name: str) -> str | None:
    """json, csv or xlsx from a file name's extension; None when the extension says nothing we read."""
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None
