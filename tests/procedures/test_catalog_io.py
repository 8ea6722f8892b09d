"""Catalog import and export (JSON, CSV, Excel): round trips, per-row error reports, the demo catalog."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from chinhquyenso.procedures.catalog import (
    CompetenceSpec,
    DocumentSpec,
    FeeSpec,
    ProcedureSpec,
    StepSpec,
    procedure_publish,
    procedure_save_draft,
)
from chinhquyenso.procedures.catalog_io import (
    DEMO_CATALOG_FILE,
    catalog_export,
    catalog_import,
    catalog_load_demo,
    catalog_specs,
)
from chinhquyenso.procedures.deadlines import limit_minutes
from chinhquyenso.procedures.models import Procedure, ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db

FORMATS = ["json", "csv", "xlsx"]


def birth_spec(**overrides):
    values = dict(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        level="commune",
        time_limit=Decimal(1),
        time_limit_unit="same_day",
        same_day_cutoff=dt.time(15, 0),
        online_level="full",
        required_assurance_level=2,
        result_name="Giấy khai sinh",
        legal_bases="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        documents=[
            DocumentSpec("Tờ khai đăng ký khai sinh | mẫu mới \\ bản điện tử"),
            DocumentSpec("Giấy chứng sinh"),
            DocumentSpec("Giấy tờ tùy thân", "shown", 1, True),
            DocumentSpec("Văn bản ủy quyền", "original", 1, False),
        ],
        steps=[
            StepSpec("Tiếp nhận", "desk_officer", Decimal(1), "working_hours", "receive"),
            StepSpec("Ghi Sổ hộ tịch", "specialist", Decimal(4), "working_hours"),
            StepSpec("Ký Giấy khai sinh", "unit_leader", Decimal(2), "working_hours"),
            StepSpec("Trả kết quả", "desk_officer", Decimal(1), "working_hours", "return"),
        ],
        fees=[FeeSpec("Lệ phí đăng ký khai sinh đúng hạn: miễn", 0)],
        competences=[CompetenceSpec("commune", "Ủy ban nhân dân phường")],
    )
    values.update(overrides)
    return ProcedureSpec(**values)


def permit_spec(**overrides):
    values = dict(
        code="1.013225",
        name="Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ",
        field="Xây dựng",
        level="commune",
        time_limit=Decimal(15),
        time_limit_unit="working_days",
        online_level="partial",
        conditions="Phù hợp quy hoạch;\nbảo đảm an toàn công trình lân cận.",
        documents=[
            DocumentSpec("Đơn đề nghị cấp giấy phép xây dựng"),
            DocumentSpec("Bản vẽ thiết kế", "original", 2, True),
            DocumentSpec("Bản sao giấy tờ về quyền sử dụng đất", "copy"),
        ],
        steps=[
            StepSpec("Tiếp nhận", "desk_officer", Decimal(1), "half_days", "receive"),
            StepSpec("Phân công", "office_leader", Decimal("0.5"), "working_days"),
            StepSpec("Lấy ý kiến", "specialist", Decimal(3), "working_days", "handoff", "Phòng Cảnh sát PCCC"),
            StepSpec("Thẩm định", "specialist", Decimal(8), "working_days"),
            StepSpec("Ký giấy phép", "unit_leader", Decimal(2), "working_days"),
            StepSpec("Trả kết quả", "desk_officer", Decimal(2), "half_days", "return"),
        ],
        fees=[FeeSpec("Lệ phí cấp giấy phép xây dựng", 75000)],
        competences=[
            CompetenceSpec("commune", "Ủy ban nhân dân phường", dt.date(2025, 7, 1), None),
            CompetenceSpec("district", "Ủy ban nhân dân quận", None, dt.date(2025, 6, 30)),
        ],
    )
    values.update(overrides)
    return ProcedureSpec(**values)


def business_spec(**overrides):
    values = dict(
        code="1.001612",
        name="Đăng ký thành lập hộ kinh doanh",
        field="Hộ kinh doanh",
        level="commune",
        time_limit=Decimal(3),
        time_limit_unit="working_days",
        online_level="full",
        paper_result=False,
        documents=[DocumentSpec("Giấy đề nghị đăng ký hộ kinh doanh")],
        steps=[
            StepSpec("Tiếp nhận", "desk_officer", Decimal(1), "half_days", "receive"),
            StepSpec("Kiểm tra", "specialist", Decimal(2), "working_days"),
            StepSpec("Trả kết quả", "desk_officer", Decimal(1), "half_days", "return"),
        ],
        fees=[],
        competences=[],
    )
    values.update(overrides)
    return ProcedureSpec(**values)


@pytest.fixture
def published():
    for spec in (birth_spec(), permit_spec(), business_spec()):
        procedure_save_draft(spec=spec, actor=None)
        procedure_publish(code=spec.code, actor=None)
    return catalog_specs()


def wipe_catalog():
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_into_an_empty_catalog_gives_the_same_specs(published, fmt):
    # given the exported file of three published procedures
    content = catalog_export(fmt=fmt)
    wipe_catalog()

    # when it is imported and published into an empty catalog
    report = catalog_import(content=content, fmt=fmt, actor=None, publish=True)

    # then every procedure comes back exactly as it was
    assert report.ok, report.lines()
    assert sorted(report.created) == ["1.001193", "1.001612", "1.013225"]
    assert sorted(report.published) == ["1.001193", "1.001612", "1.013225"]
    assert catalog_specs() == published


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_exported_file_again_adds_no_version(published, fmt):
    content = catalog_export(fmt=fmt)

    report = catalog_import(content=content, fmt=fmt, actor=None, publish=True)

    assert report.ok, report.lines()
    assert sorted(report.unchanged) == ["1.001193", "1.001612", "1.013225"]
    assert report.published == []
    assert ProcedureVersion.objects.count() == 3


def test_importing_a_changed_row_makes_a_new_draft_and_leaves_the_published_version(published):
    document = json.loads(catalog_export(fmt="json"))
    document["procedures"][0]["fees"] = [{"description": "Lệ phí đăng ký khai sinh quá hạn", "amount": 8000}]

    report = catalog_import(content=json.dumps(document).encode(), fmt="json", actor=None)

    assert report.ok, report.lines()
    assert report.updated == ["1.001193"]
    versions = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("number")
    assert [(v.number, v.status) for v in versions] == [(1, VersionStatus.PUBLISHED), (2, VersionStatus.DRAFT)]
    assert [f.amount for f in versions[0].fees.all()] == [0]
    assert [f.amount for f in versions[1].fees.all()] == [8000]


def test_export_writes_the_published_version_and_the_draft_only_when_asked(published):
    procedure_save_draft(spec=birth_spec(name="Đăng ký khai sinh (dự thảo sửa đổi)"), actor=None)

    published_names = [p["name"] for p in json.loads(catalog_export(fmt="json"))["procedures"]]
    draft_names = [p["name"] for p in json.loads(catalog_export(fmt="json", drafts=True))["procedures"]]

    assert "Thủ tục đăng ký khai sinh" in published_names
    assert "Đăng ký khai sinh (dự thảo sửa đổi)" in draft_names
    assert "Thủ tục đăng ký khai sinh" not in draft_names


def test_csv_export_uses_the_documented_compact_syntax(published):
    rows = list(csv.DictReader(io.StringIO(catalog_export(fmt="csv").decode("utf-8-sig"), newline="")))
    permit = next(row for row in rows if row["code"] == "1.013225")

    assert permit["documents"].splitlines()[1] == "Bản vẽ thiết kế | original | 2 | có"
    assert (
        permit["steps"].splitlines()[2] == "handoff | Lấy ý kiến | specialist | 3 | working_days | Phòng Cảnh sát PCCC"
    )
    assert permit["competences"].splitlines() == [
        "district | Ủy ban nhân dân quận |  | 2025-06-30",
        "commune | Ủy ban nhân dân phường | 2025-07-01",
    ]
    birth = next(row for row in rows if row["code"] == "1.001193")
    assert (
        birth["documents"].splitlines()[0]
        == "Tờ khai đăng ký khai sinh \\| mẫu mới \\\\ bản điện tử | original | 1 | có"
    )


CSV_HEADER = "code,name,field,level,time_limit,time_limit_unit,online_level,documents,steps,fees\n"
GOOD_STEPS = "receive | Tiếp nhận | desk_officer | 1 | half_days\nprocess | Thẩm tra | specialist | 2 | working_days\nreturn | Trả | desk_officer | 1 | half_days"  # noqa: E501
SHORT_STEPS = "receive | Tiếp nhận | desk_officer | 1 | half_days\nreturn | Trả | desk_officer | 1 | half_days"


def csv_file(*rows):
    out = io.StringIO()
    out.write(CSV_HEADER)
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def test_a_csv_with_one_bad_row_imports_the_good_rows_and_reports_the_bad_one():
    content = csv_file(
        [
            "1.004873",
            "Cấp Giấy xác nhận tình trạng hôn nhân",
            "Hộ tịch",
            "commune",
            "3",
            "working_days",
            "full",
            "Tờ khai",
            GOOD_STEPS,
            "Lệ phí | 15.000",
        ],
        [
            "1.001022",
            "Đăng ký nhận cha, mẹ, con",
            "Hộ tịch",
            "commune",
            "3",
            "working_days",
            "full",
            "Tờ khai",
            SHORT_STEPS,
            "",
        ],
        ["1.004837", "Đăng ký giám hộ", "Hộ tịch", "commune", "3", "working_days", "full", "Tờ khai", GOOD_STEPS, ""],
    )

    report = catalog_import(content=content, fmt="csv", actor=None, publish=True)

    assert report.created == ["1.004873", "1.004837"]
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.code, error.field) == (3, "1.001022", "steps")
    assert "phải bằng thời hạn giải quyết (24 giờ làm việc)" in error.message
    assert str(error).startswith("Dòng 3 (mã 1.001022), trường steps: Tổng thời gian các bước")
    assert not Procedure.objects.filter(code="1.001022").exists()
    assert [f.amount for f in ProcedureVersion.objects.get(procedure__code="1.004873").fees.all()] == [15000]


def test_unreadable_values_are_reported_with_the_field_and_change_nothing():
    content = csv_file(
        [
            "1.004873",
            "Cấp Giấy xác nhận tình trạng hôn nhân",
            "Hộ tịch",
            "commune",
            "ba",
            "working_days",
            "full",
            "Tờ khai | photocopy | một",
            GOOD_STEPS,
            "Lệ phí | mười lăm nghìn",
        ],
    )

    report = catalog_import(content=content, fmt="csv", actor=None)

    assert {(e.row, e.field) for e in report.errors} == {
        (2, "time_limit"),
        (2, "documents.1.sets"),
        (2, "fees.1.amount"),
    }
    assert "Thời hạn giải quyết phải là một số (đọc được: ba)." in [e.message for e in report.errors]
    assert not Procedure.objects.exists()


def test_a_json_file_with_one_bad_procedure_reports_its_position_and_field():
    good = json.loads(DEMO_CATALOG_FILE.read_text(encoding="utf-8"))["procedures"][0]
    bad = dict(good, code="9.999999", level="ward", unknown_key=1)
    content = json.dumps({"procedures": [good, bad]}).encode("utf-8")

    report = catalog_import(content=content, fmt="json", actor=None)

    assert report.created == [good["code"]]
    assert {(e.row, e.code, e.field) for e in report.errors} == {(2, "9.999999", "unknown_key")}
    assert not Procedure.objects.filter(code="9.999999").exists()


def test_an_excel_error_in_a_child_sheet_names_that_sheet_and_row(published):
    workbook = load_workbook(io.BytesIO(catalog_export(fmt="xlsx")))
    steps = workbook["steps"]
    # find the permit's 4th step and give it a role that does not exist
    target = next(row for row in steps.iter_rows(min_row=2) if row[0].value == "1.013225" and row[1].value == 4)
    target[4].value = "chief_engineer"
    workbook["procedures"].append(["1.001193"])  # the same code twice
    out = io.BytesIO()
    workbook.save(out)

    report = catalog_import(content=out.getvalue(), fmt="xlsx", actor=None)

    located = {(e.sheet, e.row, e.code, e.field) for e in report.errors}
    assert ("steps", target[0].row, "1.013225", "role") in located, report.lines()
    assert ("procedures", 5, "1.001193", "code") in located
    assert sorted(report.unchanged) == ["1.001193", "1.001612"]


def test_a_file_that_is_not_a_catalog_is_reported_without_crashing():
    for fmt, content in [("json", b"{not json"), ("xlsx", b"PK not a zip"), ("csv", b"a,b\n1,2\n")]:
        report = catalog_import(content=content, fmt=fmt, actor=None)
        assert not report.ok
        assert report.errors[0].row == 0


def test_the_demo_catalog_loads_at_least_20_publishable_procedures_whose_steps_add_up():
    report = catalog_load_demo()

    assert len(report.created) >= 20
    assert sorted(report.published) == sorted(report.created)
    required = {
        "1.001193",  # khai sinh
        "1.000656",  # khai tử
        "1.000894",  # kết hôn
        "1.004873",  # xác nhận tình trạng hôn nhân
        "2.000815",  # chứng thực bản sao từ bản chính
        "2.000884",  # chứng thực chữ ký
        "2.001035",  # chứng thực giao dịch
        "1.001612",  # đăng ký hộ kinh doanh
        "1.013225",  # giấy phép xây dựng
        "1.013978",  # đăng ký đất đai, cấp Giấy chứng nhận lần đầu
        "2.000635",  # trích lục hộ tịch
        "1.004884",  # đăng ký lại khai sinh
        "1.001022",  # nhận cha, mẹ, con
        "1.004859",  # thay đổi, cải chính hộ tịch
        "1.004837",  # giám hộ
    }
    assert required <= set(report.created)
    for version in ProcedureVersion.objects.prefetch_related("steps"):
        assert version.status == VersionStatus.PUBLISHED
        assert version.legal_bases
        total = sum(limit_minutes(s.quota, s.quota_unit) for s in version.steps.all())
        assert total == limit_minutes(version.time_limit, version.time_limit_unit), version.procedure.code
        if version.time_limit_unit == "same_day":
            assert total == 8 * 60
            assert version.same_day_cutoff == dt.time(15, 0)
    assert {p.field.name for p in Procedure.objects.select_related("field")} >= {
        "Hộ tịch",
        "Chứng thực",
        "Hộ kinh doanh",
        "Xây dựng",
        "Đất đai",
        "Bảo trợ xã hội",
    }


def test_competences_that_moved_to_the_ward_on_1_july_2025_keep_both_periods():
    catalog_load_demo()

    for code in ("1.013225", "1.013978", "1.001612"):
        periods = [
            (c.level, c.valid_from, c.valid_to) for c in Procedure.objects.get(code=code).competences.order_by("level")
        ]
        assert periods == [
            ("commune", dt.date(2025, 7, 1), None),
            ("district", None, dt.date(2025, 6, 30)),
        ], code


def test_loading_the_demo_twice_changes_nothing():
    first = catalog_load_demo()
    versions = ProcedureVersion.objects.count()

    second = catalog_load_demo()

    assert sorted(second.unchanged) == sorted(first.created)
    assert second.created == second.updated == second.published == []
    assert ProcedureVersion.objects.count() == versions


def test_the_commands_export_and_import_and_print_the_report(published, tmp_path):
    path = tmp_path / "catalog.xlsx"
    out = io.StringIO()
    call_command("catalog_export", str(path), stdout=out)
    assert "Đã xuất 3 thủ tục" in out.getvalue()

    wipe_catalog()
    out = io.StringIO()
    call_command("catalog_import", str(path), "--publish", stdout=out)
    assert out.getvalue().startswith("Tạo mới: 3; cập nhật bản nháp: 0; không thay đổi: 0; đã công bố: 3; dòng lỗi: 0.")
    assert catalog_specs() == published


def test_the_import_command_lists_bad_rows_and_exits_with_an_error(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes(
        csv_file(
            ["1.004837", "Đăng ký giám hộ", "Hộ tịch", "commune", "3", "working_days", "full", "", SHORT_STEPS, ""]
        )
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("catalog_import", str(path), stdout=out)

    assert "Dòng 2 (mã 1.004837), trường steps:" in out.getvalue()
