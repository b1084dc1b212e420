"""Where jospar's SECRET_KEY comes from.

Production (any of DATABASE_URL, REDIS_URL, S3_BUCKET or BEHIND_PROXY set) must give its own key
in SECRET_KEY: jospar refuses to start without one, and refuses the public default that earlier
versions shipped. The embedded default generates a random key on its first start and keeps it in
``var/secret_key`` (mode 0600), so that sessions, e-mail confirmation links and Open311 tokens
survive a restart and nobody else knows the key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys that were public (in the repository): never accepted, whatever the mode.
PUBLIC_KEYS = frozenset(
    {"jospar-embedded-default-not-for-production", "change-me-to-a-long-random-string"}
)
MIN_LENGTH = 32
FILE_NAME = "secret_key"
PRODUCTION_SIGNALS = ("DATABASE_URL", "REDIS_URL", "S3_BUCKET", "BEHIND_PROXY")


def production_signals(environ: Mapping[str, str]) -> list[str]:
    """The variables that say this is not the embedded default."""
    found = []
    for name in PRODUCTION_SIGNALS:
        value = environ.get(name, "").strip()
        if value and value.lower() not in {"0", "false", "no", "off"}:
            found.append(name)
    return found


def load_secret_key(environ: Mapping[str, str], var_dir: Path) -> str:
    given = environ.get("SECRET_KEY", "")
    if given:
        if given in PUBLIC_KEYS:
            raise ImproperlyConfigured(
                "SECRET_KEY is a key published in jospar's repository; set a long random one, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
            )
        if production_signals(environ) and len(given) < MIN_LENGTH:
            raise ImproperlyConfigured(
                f"SECRET_KEY is shorter than {MIN_LENGTH} characters; set a long random one."
            )
        return given
    signals = production_signals(environ)
    if signals:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set, and jospar is not on its embedded default ("
            + ", ".join(signals)
            + ' set). Set SECRET_KEY to a long random value, e.g. python -c "import secrets; '
            'print(secrets.token_urlsafe(50))", the same on every app server and worker.'
        )
    return _embedded_key(var_dir / FILE_NAME)


def _embedded_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written aside and linked into place: two processes starting at once agree on one key,
        # and nobody ever reads a half-written file.
        tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{path} holds no usable key; delete it and jospar writes a new one."
        )
    return key
