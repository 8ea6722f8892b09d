import csv
import io

import pytest
from openpyxl import load_workbook

from chinhquyenso.procedures.exports import (
    dossier_list_columns,
    dossier_list_rows,
    register_columns,
    register_rows,
    to_csv,
    to_xlsx,
)
from chinhquyenso.procedures.models import Dossier
from tests.procedures.conftest import at, receive

pytestmark = pytest.mark.django_db


def test_list_export_as_csv_keeps_vietnamese_text_and_leaves_out_the_citizen_id(world):
    receive(world, when=at(2026, 3, 2, 9))
    data = to_csv(dossier_list_columns(), dossier_list_rows(Dossier.objects.all()))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã hồ sơ"
    assert rows[1][2] == "Nguyễn Văn An" and rows[1][7] == "02/03/2026 09:00"
    assert "001090012345" not in data.decode("utf-8-sig")


def test_register_mau_07_numbers_received_dossiers_in_order_as_excel(world):
    second = receive(world, when=at(2026, 3, 3, 9))
    first = receive(world, when=at(2026, 3, 2, 9))
    receive(world, outcome="supplement", note="Thiếu tờ khai")  # not received yet: not in the register
    data = to_xlsx(register_columns(), register_rows(Dossier.objects.all()), title="Sổ theo dõi hồ sơ")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert [row[1] for row in values[1:]] == [first.code, second.code]
    assert [row[0] for row in values[1:]] == ["1", "2"]
