"""The small world of the dossier tests (two wards of Hà Nội, one 3-working-day procedure)."""

from tests.procedures.conftest import world  # noqa: F401
