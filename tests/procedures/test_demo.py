"""The demo a newcomer sees after `make run`: a few hundred dossiers in both eras, in every state."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from chinhquyenso.procedures.models import Dossier, DossierEvent
from chinhquyenso.procedures.workflow import State

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_dossiers_of_both_eras_in_every_state_once(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "hồ sơ mẫu mới tạo" in out.getvalue()
    total = Dossier.objects.count()
    assert 250 <= total <= 600
    by_state = dict(Dossier.objects.values_list("state").annotate(n=Count("id")))
    assert set(by_state) == set(State.values), f"missing states: {set(State.values) - set(by_state)}"
    # 2024 H1 under the 21 wards and the district, today under the new wards
    old = Dossier.objects.filter(received_at__year=2024)
    assert old.exists() and not old.filter(receiving_unit__valid_to__isnull=True).exists()
    assert old.values("receiving_unit").distinct().count() >= 21
    assert Dossier.objects.filter(receiving_unit__code="L2507-02").count() >= 10  # phường Kim Liên
    assert Dossier.objects.filter(is_late=True).exists()
    assert Dossier.objects.filter(rescheduled=True).exists()
    # every dossier has a consistent control sheet: events numbered 1..n, the last one in the dossier's state
    for dossier in Dossier.objects.order_by("?")[:40]:
        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[-1].to_state == dossier.state
    call_command("seed_demo", stdout=StringIO())
    assert Dossier.objects.count() == total
