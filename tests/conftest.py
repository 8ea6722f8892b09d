"""Shared fixtures: the staff trio of every access test, an API client with a bearer token."""

import pytest
from django.conf import settings as django_settings


def pytest_configure():
    # Argon2 is slow on purpose; tests that do not test hashing use a fast hasher.
    django_settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *django_settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sqlite_audit_triggers_allow_flush(request):
    """SQLite has no TRUNCATE: transactional tests end with DELETE FROM every table, which the append-only audit
    trigger refuses. Around such tests only, lift the DELETE trigger for the flush and put it back before the
    next test (PostgreSQL flushes with TRUNCATE, which the row trigger does not see)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    migration = importlib.import_module("chinhquyenso.core.migrations.0002_audit_append_only")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
