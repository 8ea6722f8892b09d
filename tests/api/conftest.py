"""The API tests use the same small world as the dossier tests."""

from tests.procedures.conftest import world  # noqa: F401 (a fixture, used by name)
