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
