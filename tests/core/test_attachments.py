import hashlib

import pytest

from chinhquyenso.core.attachments import attachment_store
from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_pdf_is_stored_under_a_random_name_with_its_checksum(tmp_path):
    attachment = attachment_store(data=PDF, original_name="../../etc/Giấy khai sinh.pdf", uploaded_by=None)
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.original_name == "Giấy khai sinh.pdf"
    assert "khai" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert (tmp_path / attachment.file.name).read_bytes() == PDF


def test_type_is_judged_by_content_not_by_name():
    attachment = attachment_store(data=PNG, original_name="scan.pdf", uploaded_by=None)
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")
    with pytest.raises(InvalidInput) as error:
        attachment_store(data=b"MZ\x90\x00 executable", original_name="to-khai.pdf", uploaded_by=None)
    assert "to-khai.pdf" in error.value.message and error.value.fields == {"file": "type"}
    assert Attachment.objects.count() == 1


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(settings, tmp_path):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as error:
        attachment_store(data=PDF + b"0" * 2048, original_name="lon.pdf", uploaded_by=None)
    assert error.value.fields == {"file": "too_large"}
    assert Attachment.objects.count() == 0
    assert not any(tmp_path.rglob("*.pdf"))
