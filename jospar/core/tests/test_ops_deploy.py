"""``jospar check --deploy`` is clean with the production environment of
``deploy/jospar.env.example`` (and finds the holes when HTTPS is not declared)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "JOSPAR_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_HMAC_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "jospar.example.kz",
        "CSRF_TRUSTED_ORIGINS": "https://jospar.example.kz",
        "BEHIND_PROXY": "1",
        "SECURE_COOKIES": "1",
        # Never connected to by the check.
        "DATABASE_URL": "postgres://jospar:secret@127.0.0.1:1/jospar",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "METRICS_TOKEN": secrets.token_urlsafe(20),
    }
    env.update(extra)
    return env


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jospar.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_deploy_check_is_clean_in_production(tmp_path: Path) -> None:
    result = _check(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_deploy_check_finds_plain_http(tmp_path: Path) -> None:
    result = _check(_production_env(tmp_path, SECURE_COOKIES="0"))
    assert result.returncode != 0
    out = result.stdout + result.stderr
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in out, out


def test_the_proxy_hides_metrics_and_passes_its_request_id() -> None:
    conf = (REPO / "deploy" / "nginx.conf").read_text()
    assert "location = /metrics { return 404; }" in conf
    assert "location = /readyz { return 404; }" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
