"""Catalog writes: step quotas must add up to the legal limit, drafts are editable, publishing freezes a version."""

import datetime as dt
from decimal import Decimal

import pytest

from chinhquyenso.core.errors import Conflict, InvalidInput
from chinhquyenso.procedures.catalog import (
    CompetenceSpec,
    DocumentSpec,
    FeeSpec,
    ProcedureSpec,
    StepSpec,
    procedure_publish,
    procedure_save_draft,
    procedure_spec_validate,
    version_to_spec,
)
from chinhquyenso.procedures.models import ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db


def three_day_steps(review=Decimal(3)):
    return [
        StepSpec("Tiếp nhận hồ sơ", "desk_officer", Decimal(1), "half_days", "receive"),
        StepSpec("Thẩm tra", "specialist", review, "half_days"),
        StepSpec("Ký duyệt", "unit_leader", Decimal(1), "half_days"),
        StepSpec("Trả kết quả", "desk_officer", Decimal(1), "half_days", "return"),
    ]


def make_spec(**overrides):
    values = dict(
        code="1.004873",
        name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
        field="Hộ tịch",
        level="commune",
        time_limit=Decimal(3),
        time_limit_unit="working_days",
        online_level="full",
        documents=[DocumentSpec("Tờ khai theo mẫu"), DocumentSpec("Giấy tờ tùy thân", "shown", 1, True)],
        steps=three_day_steps(),
        fees=[FeeSpec("Lệ phí", 15000)],
        competences=[CompetenceSpec("commune", "Ủy ban nhân dân phường")],
    )
    values.update(overrides)
    return ProcedureSpec(**values)


def refusal(spec):
    with pytest.raises(InvalidInput) as caught:
        procedure_spec_validate(spec)
    return caught.value


def test_steps_adding_up_to_less_than_the_legal_limit_are_refused_naming_steps():
    # given a 3-working-day procedure whose steps add up to 2½ days
    spec = make_spec(steps=three_day_steps(review=Decimal(2)))

    # when it is validated, then the refusal names the steps and both totals in working hours
    error = refusal(spec)
    assert set(error.fields) == {"steps"}
    assert "Tổng thời gian các bước (20 giờ làm việc)" in error.fields["steps"]
    assert "thời hạn giải quyết (24 giờ làm việc)" in error.fields["steps"]


def test_steps_adding_up_to_more_than_the_legal_limit_are_refused_and_nothing_is_saved():
    spec = make_spec(steps=three_day_steps(review=Decimal(4)))

    with pytest.raises(InvalidInput) as caught:
        procedure_save_draft(spec=spec, actor=None)

    assert "steps" in caught.value.fields
    assert not ProcedureVersion.objects.exists()


def test_half_days_working_days_and_hours_mix_in_the_sum():
    # ½ day + 1 day + 6 hours + ¾ day = 4 + 8 + 6 + 6 = 24 working hours = 3 days
    steps = [
        StepSpec("Tiếp nhận", "desk_officer", Decimal(1), "half_days", "receive"),
        StepSpec("Thẩm tra", "specialist", Decimal(1), "working_days"),
        StepSpec("Ký", "unit_leader", Decimal(6), "working_hours"),
        StepSpec("Trả", "desk_officer", Decimal("0.75"), "working_days", "return"),
    ]
    procedure_spec_validate(make_spec(steps=steps))


def test_a_same_day_procedure_needs_steps_worth_one_working_day_of_eight_hours():
    def same_day(hours):
        return make_spec(
            time_limit=Decimal(1),
            time_limit_unit="same_day",
            same_day_cutoff=dt.time(15, 0),
            steps=[
                StepSpec("Tiếp nhận", "desk_officer", Decimal(1), "working_hours", "receive"),
                StepSpec("Chứng thực", "specialist", Decimal(hours), "working_hours"),
                StepSpec("Trả", "desk_officer", Decimal(1), "working_hours", "return"),
            ],
        )

    procedure_spec_validate(same_day(6))
    assert "(8 giờ làm việc)" in refusal(same_day(5)).fields["steps"]


def test_the_first_step_must_receive_and_the_last_must_return():
    steps = three_day_steps()
    steps[-1] = StepSpec("Ký", "unit_leader", Decimal(1), "half_days")
    error = refusal(make_spec(steps=steps))
    assert error.fields["steps"] == "Bước đầu phải là tiếp nhận và bước cuối phải là trả kết quả."


def test_validation_messages_are_vietnamese_and_name_each_wrong_field():
    steps = three_day_steps()
    steps[1] = StepSpec("Thẩm tra", "chief", Decimal(3), "half_days")
    spec = make_spec(
        level="ward",
        online_level="level4",
        steps=steps,
        documents=[DocumentSpec(" ", "photocopy", 0)],
        fees=[FeeSpec("Lệ phí", -5)],
        required_assurance_level=3,
    )

    error = refusal(spec)

    assert error.fields == {
        "level": "Cấp thực hiện không hợp lệ: ward.",
        "online_level": "Mức độ trực tuyến không hợp lệ: level4.",
        "steps.2.role": "Bước 2: vai trò không hợp lệ (chief).",
        "documents.1.name": "Giấy tờ 1: thiếu tên.",
        "documents.1.form": "Giấy tờ 1: loại bản không hợp lệ.",
        "documents.1.sets": "Giấy tờ 1: số bộ phải từ 1 đến 99.",
        "fees.1.amount": "Khoản phí 1: mức thu phải là số đồng không âm.",
        "required_assurance_level": "Mức định danh điện tử phải là 1 hoặc 2.",
    }
    assert error.message == "Cấp thực hiện không hợp lệ: ward."


def test_the_sum_is_checked_even_when_an_unrelated_field_is_wrong():
    error = refusal(make_spec(level="ward", steps=three_day_steps(review=Decimal(2))))
    assert {"level", "steps"} <= set(error.fields)


def test_values_the_database_cannot_hold_are_refused_with_a_message_not_a_crash():
    spec = make_spec(
        name="Đ" * 401,
        steps=[
            *three_day_steps()[:1],
            StepSpec("Thẩm tra", "specialist", Decimal("1.125"), "working_days"),
            StepSpec("Ký", "unit_leader", Decimal("0.375"), "working_days"),
            three_day_steps()[-1],
        ],
        competences=[CompetenceSpec("district", "UBND quận", dt.date(2025, 7, 1), dt.date(2025, 6, 30))],
        fees=[FeeSpec("", 1000)],
    )

    error = refusal(spec)

    assert error.fields["name"] == "Tên thủ tục dài quá 400 ký tự."
    assert error.fields["steps.2.quota"].startswith("Bước 2: thời gian phải là số không âm")
    assert error.fields["competences.1.valid_to"] == "Thẩm quyền 1: ngày kết thúc phải sau ngày bắt đầu."
    assert error.fields["fees.1.description"] == "Khoản phí 1: thiếu nội dung."
    assert not ProcedureVersion.objects.exists()


def test_a_draft_stays_editable_and_keeps_its_number():
    first = procedure_save_draft(spec=make_spec(), actor=None)
    second = procedure_save_draft(spec=make_spec(name="Cấp Giấy xác nhận tình trạng hôn nhân (sửa)"), actor=None)

    assert second.pk == first.pk
    assert second.number == 1
    assert second.status == VersionStatus.DRAFT
    assert ProcedureVersion.objects.get().name == "Cấp Giấy xác nhận tình trạng hôn nhân (sửa)"


def test_publishing_freezes_v1_and_the_next_draft_is_v2_leaving_v1_unchanged():
    # given v1 published
    procedure_save_draft(spec=make_spec(), actor=None)
    v1 = procedure_publish(code="1.004873", actor=None, valid_from=dt.date(2025, 7, 1))
    v1_spec = version_to_spec(v1)

    # when a changed spec is saved
    changed = make_spec(
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        fees=[FeeSpec("Lệ phí", 20000)],
        documents=[DocumentSpec("Tờ khai mới")],
    )
    v2 = procedure_save_draft(spec=changed, actor=None)

    # then it becomes draft v2, and v1 still says what it said when it was published
    assert (v2.number, v2.status) == (2, VersionStatus.DRAFT)
    v1.refresh_from_db()
    assert (v1.status, v1.valid_from) == (VersionStatus.PUBLISHED, dt.date(2025, 7, 1))
    assert version_to_spec(v1) == v1_spec
    assert [f.amount for f in v1.fees.all()] == [15000]
    assert [d.name for d in v1.documents.all()] == ["Tờ khai theo mẫu", "Giấy tờ tùy thân"]

    # and publishing v2 leaves v1 as it was
    published = procedure_publish(code="1.004873", actor=None)
    assert published.number == 2
    assert version_to_spec(ProcedureVersion.objects.get(number=1)) == v1_spec


def test_publishing_without_a_draft_is_a_conflict():
    procedure_save_draft(spec=make_spec(), actor=None)
    procedure_publish(code="1.004873", actor=None)

    with pytest.raises(Conflict) as caught:
        procedure_publish(code="1.004873", actor=None)

    assert caught.value.code == "no_draft"
    assert ProcedureVersion.objects.count() == 1
