"""The leadership dashboard (scope, query count), report exports, the public page and the API."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from chinhquyenso.core.models import Role
from chinhquyenso.core.services import staff_upsert
from chinhquyenso.metrics.services import metrics_refresh
from chinhquyenso.procedures.services import TransitionRequest, dossier_transition
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db
MARCH = "kind=month&on=2026-03-15"


def make_dossiers(world, count, *, day=2):
    for n in range(count):
        dossier = receive(world, when=at(2026, 3, day, 9, n))
        if n % 2:
            dossier_transition(
                code=dossier.code,
                actor=world.desk,
                request=TransitionRequest(action="forward"),
                at=at(2026, 3, day, 10),
            )
    metrics_refresh()


def test_the_ward_leader_sees_the_dashboard_of_the_ward(client, world):
    make_dossiers(world, 3)
    client.force_login(world.head)
    response = client.get(f"/can-bo/chi-so/?{MARCH}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phường Kim Liên" in body and "<svg" in body and "2.1" in body
    # drill-down to the dossier list with the same period
    assert "/can-bo/ho-so/danh-sach/?received_from=2026-03-01&amp;received_to=2026-03-31" in body
    assert "<script" not in body.split("</header>")[-1]  # charts are inline SVG, no script
    # SVG lengths keep a dot as decimal separator on a Vietnamese page (48,18 is not a length)
    assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]+"', body)


def test_a_ward_leader_cannot_see_another_wards_figures(client, world):
    client.force_login(world.head)
    assert client.get(f"/can-bo/chi-so/?unit={world.lang.code}&{MARCH}").status_code == 404
    assert client.get(f"/can-bo/chi-so/bao-cao.xlsx?unit={world.lang.code}&{MARCH}").status_code == 404
    assert client.get("/can-bo/chi-so/?unit=KHONG-CO").status_code == 404


def test_a_desk_officer_may_not_open_the_dashboard_and_a_visitor_must_sign_in(client, world):
    client.force_login(world.desk)
    assert client.get("/can-bo/chi-so/").status_code == 403
    client.logout()
    response = client.get("/can-bo/chi-so/")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_a_city_leader_sees_every_ward_and_the_ranking(client, world):
    make_dossiers(world, 2)
    leader = staff_upsert(
        username="ld_tp", full_name="Lãnh đạo thành phố", role=Role.UNIT_LEADER, scope=world.city, office=None
    )
    client.force_login(leader)
    body = client.get(f"/can-bo/chi-so/?{MARCH}").content.decode()
    assert "Xếp hạng" in body and "Láng" in body and "Kim Liên" in body
    assert client.get(f"/can-bo/chi-so/?unit={world.lang.code}&{MARCH}").status_code == 200


def count_dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/can-bo/chi-so/?{MARCH}").status_code == 200
    return len(queries)


def test_dashboard_query_count_is_bounded_and_does_not_grow_with_the_dossiers(client, world):
    client.force_login(world.head)
    make_dossiers(world, 2, day=2)
    few = count_dashboard_queries(client)
    make_dossiers(world, 12, day=3)
    many = count_dashboard_queries(client)
    assert many == few
    assert few <= 60


def test_report_downloads_as_excel_and_pdf(client, world):
    make_dossiers(world, 2)
    client.force_login(world.head)
    response = client.get(f"/can-bo/chi-so/bao-cao.xlsx?{MARCH}")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    book = load_workbook(io.BytesIO(response.content))
    assert "Chỉ số 766" in book.sheetnames
    response = client.get(f"/can-bo/chi-so/bao-cao.pdf?{MARCH}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/can-bo/chi-so/bao-cao.doc?{MARCH}").status_code == 404


def test_the_public_page_shows_each_current_ward(client, world):
    make_dossiers(world, 2)
    response = client.get("/chi-so-phuc-vu/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phường Kim Liên" in body and "Phường Láng" in body


def test_api_index_returns_every_sub_indicator(client, world):
    make_dossiers(world, 3)
    response = client.get(f"/api/v1/metrics/index?unit={world.kim_lien.code}&start=2026-03-01&end=2026-03-31")
    assert response.status_code == 200
    data = response.json()
    codes = [i["code"] for i in data["indicators"]]
    assert "2.1" in codes and "5.4" in codes and "1.4" in codes
    progress = next(i for i in data["indicators"] if i["code"] == "2.1")
    assert progress["denominator"] == 3 and progress["max_points"] == "20.00" and progress["target"] is None
    sync = next(i for i in data["indicators"] if i["code"] == "1.4")
    assert sync["status"] == "no_data" and sync["points"] is None and sync["note"]
    assert float(data["total"]) == sum(float(i["points"] or 0) for i in data["indicators"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("unit=T-KL&start=2026-03-01", "end"),
        ("unit=T-KL&start=2026-02-30&end=2026-03-31", "start"),
        ("unit=T-KL&start=2026-03-31&end=2026-03-01", "end"),
        ("unit=KHONG-CO&start=2026-03-01&end=2026-03-31", "unit"),
        ("start=2026-03-01&end=2026-03-31", "unit"),
    ],
)
def test_api_index_names_the_bad_parameter(client, world, query, field):
    response = client.get(f"/api/v1/metrics/index?{query}")
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_the_point_table_is_edited_in_the_back_office(admin_client):
    assert admin_client.get("/quan-tri/metrics/indexruleset/").status_code == 200
    assert admin_client.get("/quan-tri/metrics/indexindicator/").status_code == 200
    response = admin_client.get("/quan-tri/metrics/indexindicator/add/")
    assert response.status_code == 200 and "progress_on_time" in response.content.decode()
