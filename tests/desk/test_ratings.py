"""Satisfaction ratings: once per returned dossier, from the tracking page, a signed link or the counter tablet."""

import datetime as dt

import pytest

from chinhquyenso.core.errors import InvalidInput, PermissionDenied
from chinhquyenso.desk import selectors, services
from chinhquyenso.desk.errors import AlreadyRated, RatingNotAllowed
from chinhquyenso.desk.models import Rating, RatingChannel
from chinhquyenso.procedures.errors import DossierNotFound
from chinhquyenso.procedures.models import Dossier
from tests.desk.conftest import returned_dossier
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db


def rate(dossier, value="satisfied", **extra):
    extra.setdefault("channel", RatingChannel.TRACKING)
    extra.setdefault("contact", "0912345678")
    return services.rating_submit(code=dossier.code, value=value, now=at(2026, 3, 4, 10), **extra)


def test_a_returned_dossier_is_rated_once_and_names_who_returned_it(desk):
    dossier = returned_dossier(desk)
    rating = rate(dossier, "very_satisfied", comment="Nhanh, chu đáo")
    assert rating.officer == desk.desk and rating.unit == desk.kim_lien and rating.procedure == desk.procedure
    with pytest.raises(AlreadyRated) as error:
        rate(dossier, "not_satisfied")
    assert error.value.status == 409 and "chỉ được đánh giá một lần" in error.value.message
    assert Rating.objects.get().value == "very_satisfied"


def test_a_dossier_not_yet_returned_cannot_be_rated(desk):
    with pytest.raises(RatingNotAllowed):
        rate(receive(desk))


def test_the_tracking_page_rating_needs_the_applicants_phone_or_id(desk):
    dossier = returned_dossier(desk)
    with pytest.raises(InvalidInput) as error:
        rate(dossier, contact="0999999999")
    assert "contact" in error.value.fields
    assert rate(dossier, contact="001090012345").channel == RatingChannel.TRACKING


def test_a_signed_link_rates_without_contact_and_a_forged_one_is_refused(desk):
    dossier = returned_dossier(desk)
    with pytest.raises(PermissionDenied):
        rate(dossier, channel=RatingChannel.LINK, contact="", token=services.rating_link_token(dossier_code="X") + "x")
    token = services.rating_link_token(dossier_code=dossier.code)
    assert rate(dossier, channel=RatingChannel.LINK, contact="", token=token).channel == RatingChannel.LINK


def test_the_counter_tablet_belongs_to_the_receiving_wards_desk(desk):
    dossier = returned_dossier(desk)
    with pytest.raises(DossierNotFound):  # another ward's officer: as if it did not exist
        rate(dossier, channel=RatingChannel.COUNTER, actor=desk.lang_staff)
    with pytest.raises(PermissionDenied):
        rate(dossier, channel=RatingChannel.COUNTER, actor=desk.specialist)
    assert rate(dossier, channel=RatingChannel.COUNTER, actor=desk.desk).channel == RatingChannel.COUNTER


def test_figures_per_officer_procedure_and_unit(desk):
    rate(returned_dossier(desk), "very_satisfied")
    rate(returned_dossier(desk), "not_satisfied")
    by_officer = selectors.rating_figures(by="officer")
    assert [(f.key, f.total, f.very_satisfied, f.not_satisfied, f.satisfied_share) for f in by_officer] == [
        ("desk_kl", 2, 1, 1, 50.0)
    ]
    assert selectors.rating_figures(by="procedure")[0].label.startswith("9.000001 Thủ tục thử")
    assert selectors.rating_figures(by="unit", units=desk.lang.__class__.objects.filter(pk=desk.lang.pk)) == []
    assert selectors.rating_figures(by="unit", start=dt.date(2026, 3, 5)) == []
    assert selectors.rating_figures(by="unit")[0].label == "Kim Liên"


def test_tracking_page_links_to_the_rating_page_which_takes_one_rating(client, desk):
    dossier = returned_dossier(desk)
    tracking = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert f'href="/danh-gia/{dossier.code}/"' in tracking
    page = client.get(f"/danh-gia/{dossier.code}/")
    assert "Rất hài lòng" in page.content.decode()
    wrong = client.post(f"/danh-gia/{dossier.code}/", {"value": "satisfied", "contact": "0900000000"})
    assert wrong.status_code == 422 and "không khớp" in wrong.content.decode()
    done = client.post(f"/danh-gia/{dossier.code}/", {"value": "satisfied", "contact": "0912345678"})
    assert done.status_code == 200 and "Cảm ơn bạn đã đánh giá" in done.content.decode()
    again = client.post(f"/danh-gia/{dossier.code}/", {"value": "not_satisfied", "contact": "0912345678"})
    assert again.status_code == 409 and "chỉ được đánh giá một lần" in again.content.decode()
    token = services.rating_link_token(dossier_code=dossier.code)
    assert "Số điện thoại, thư điện tử" not in client.get(f"/danh-gia/{dossier.code}/?t={token}").content.decode()


def test_counter_tablet_page_is_404_for_another_wards_officer(client, desk):
    dossier = returned_dossier(desk)
    client.force_login(desk.lang_staff)
    assert client.get(f"/can-bo/khong-cho/danh-gia/{dossier.code}/").status_code == 404
    client.force_login(desk.desk)
    done = client.post(f"/can-bo/khong-cho/danh-gia/{dossier.code}/", {"value": "very_satisfied"})
    assert done.status_code == 200 and Dossier.objects.get(pk=dossier.pk).desk_rating.channel == "counter"
