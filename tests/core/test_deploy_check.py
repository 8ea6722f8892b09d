"""Production settings pass Django's deployment checklist and refuse to start without a secret key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    # Drop every DJANGO_* override of the caller, so the check sees the settings a deployment gets
    # from DJANGO_DEBUG=0 and a secret alone.
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        CQS_VAR_DIR=str(tmp_path / "var"),
        CQS_FIELD_KEY=secrets.token_urlsafe(32) + "=",  # a Fernet key: 32 random bytes, url-safe base64
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_no_issue_with_debug_off_and_a_strong_secret(tmp_path):
    env = _production_env(tmp_path, DJANGO_SECRET_KEY=secrets.token_urlsafe(64))

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
