"""generate_load writes realistic dossiers in bulk that the rest of the platform can live with."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from chinhquyenso.procedures.catalog_io import catalog_load_demo
from chinhquyenso.procedures.models import Dossier, DossierEvent
from chinhquyenso.procedures.selectors import dossier_public_view
from tests.procedures.conftest import receive

pytestmark = pytest.mark.django_db


def test_generated_dossiers_have_gap_free_codes_and_later_intakes_continue_the_numbering(world):
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))
    out, err = StringIO(), StringIO()
    call_command("generate_load", "--dossiers", "600", "--units", "4", "--years", "1", stdout=out, stderr=err)
    assert "600 dossiers" in out.getvalue() and "600/600" in err.getvalue()
    assert Dossier.objects.count() == 600
    assert Dossier.objects.values("receiving_unit").distinct().count() == 4
    assert DossierEvent.objects.filter(seq=1).count() == 600
    by_prefix = {}
    for code in Dossier.objects.values_list("code", flat=True):
        prefix, number = code.rsplit("-", 1)
        by_prefix.setdefault(prefix, []).append(int(number))
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in by_prefix.values())
    assert set(Dossier.objects.values_list("state", flat=True).annotate(n=Count("id"))) >= {4, 10}
    # a generated dossier is tracked like any other
    assert dossier_public_view(code=Dossier.objects.first().code)["state"]


def test_units_beyond_the_seeded_ones_are_synthetic_and_marked(world):
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))
    call_command("generate_load", "--dossiers", "50", "--units", "5", stdout=StringIO(), stderr=StringIO())
    from chinhquyenso.core.models import AdminUnit

    synthetic = AdminUnit.objects.filter(code__startswith="LT-")
    assert synthetic.count() == 3  # the world has two wards with desks
    assert all("đo tải" in unit.note for unit in synthetic)


def test_intake_after_generation_takes_the_next_number_of_the_day(world):
    catalog_load_demo(valid_from=dt.date(2024, 1, 1))
    call_command(
        "generate_load", "--dossiers", "300", "--units", "1", "--years", "1", stdout=StringIO(), stderr=StringIO()
    )
    dossier = receive(world)
    prefix, number = dossier.code.rsplit("-", 1)
    numbers = [
        int(c.rsplit("-", 1)[1])
        for c in Dossier.objects.filter(code__startswith=prefix + "-").values_list("code", flat=True)
    ]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
