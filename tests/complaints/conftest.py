"""The dossier tests' small world (two wards of Hà Nội, the real calendar) plus the citizen-reception staff:
two inspectors of Kim Liên, one of Láng; the chairman and an office head of Kim Liên come from `world`."""

import pytest
from cryptography.fernet import Fernet

from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import CaseChannel, CaseKind, DeadlineRule, ReportCategory
from chinhquyenso.complaints.rules import categories_seed, rules_seed
from chinhquyenso.complaints.services import case_receive
from chinhquyenso.core.models import LegalBasis, OfficeKind, Role
from chinhquyenso.core.services import office_upsert, staff_upsert
from tests.procedures.conftest import at, world  # noqa: F401 (fixtures and helpers used by name)

DENOUNCER = Identity(name="Trần Thị Bình", address="12 ngõ Văn Chương, Đống Đa", contact="0912345678")
COMPLAINANT = Identity(name="Nguyễn Văn An", address="5 Kim Liên", contact="0987654321")


@pytest.fixture(autouse=True)
def field_key(settings):
    """A fresh key per test, as CQS_FIELD_KEY gives in production (tests run with DEBUG off)."""
    settings.CQS_FIELD_KEY = Fernet.generate_key().decode()
    return settings.CQS_FIELD_KEY


@pytest.fixture
def cw(world):  # noqa: F811
    """The complaints world."""
    w = world
    # the migration seeds these; a transactional test's flush removes them, so seed again (idempotent)
    rules_seed(rule_model=DeadlineRule, legal_basis_model=LegalBasis)
    categories_seed(category_model=ReportCategory)
    w.inspectorate = office_upsert(
        code="T.KL.TT",
        name="Bộ phận tiếp công dân phường Kim Liên",
        kind=OfficeKind.INSPECTORATE,
        admin_unit=w.kim_lien,
    )
    w.inspector = staff_upsert(
        username="tt_kl",
        full_name="Thanh tra Lê Văn Cường",
        role=Role.INSPECTOR,
        scope=w.kim_lien,
        office=w.inspectorate,
    )
    w.inspector2 = staff_upsert(
        username="tt2_kl", full_name="Thanh tra Phạm Dũng", role=Role.INSPECTOR, scope=w.kim_lien, office=w.inspectorate
    )
    w.lang_inspector = staff_upsert(username="tt_lang", full_name="Thanh tra Láng", role=Role.INSPECTOR, scope=w.lang)
    return w


def receive(w, kind=CaseKind.DENUNCIATION, identity=DENOUNCER, when=None, **extra):
    return case_receive(
        kind=kind,
        unit=w.kim_lien,
        channel=extra.pop("channel", CaseChannel.IN_PERSON),
        subject=extra.pop("subject", "Cán bộ địa chính nhận tiền"),
        content=extra.pop("content", "Nội dung chi tiết của đơn."),
        identity=identity,
        actor=extra.pop("actor", w.inspector),
        received_at=when or at(2026, 2, 13, 10),
        **extra,
    )
