"""A photo's decoding is bounded by memory, not only by pixels (issue #9): a 6 KB PNG of
7000 × 7000 one-bit pixels used to take a worker from 126 MB to 634 MB."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from jospar.civic.imaging import decoded_bytes
from jospar.civic.media import check_upload, render_public_image
from jospar.civic.tests.conftest import upload
from jospar.core.errors import ServiceError

ROOT = Path(__file__).resolve().parents[3]
MB = 1024 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def one_bit_png(side: int = 7000) -> bytes:
    """A valid PNG, ``side`` × ``side`` pixels of one bit, all black: a few kilobytes."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * side, 9))
        + _chunk(b"IEND", b"")
    )


_PROBE = """
import json, os, resource, sys
import django
django.setup()
from django.utils import translation
from jospar.civic.media import render_public_image
from jospar.core.errors import ServiceError
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with translation.override("kk"):
    try:
        made = render_public_image(data, "bomb.png")
        out = {"ok": True, "width": made["width"], "public": len(made["public"])}
    except ServiceError as exc:
        out = {"ok": False, "code": exc.code, "message": str(exc.message)}
out["grew_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
out["worker_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps(out))
"""


def _probe(tmp_path: Path, **env: str) -> dict[str, Any]:
    """Run the check in a fresh process, and measure how much its own peak memory grew."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(one_bit_png())
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(bomb)],
        capture_output=True,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "JOSPAR_VAR_DIR": str(tmp_path / "var"),
            **env,
        },
        timeout=120,
        check=True,
    )
    return dict(json.loads(done.stdout.decode().strip().splitlines()[-1]))


def test_the_bomb_is_small_and_its_decoding_is_estimated() -> None:
    data = one_bit_png()
    assert len(data) < 10_000
    # One byte a pixel decoded, one more as greyscale: 98 MB, not the 634 MB of RGB copies.
    assert decoded_bytes("1", 7000, 7000) == 7000 * 7000 * 2
    assert decoded_bytes("RGB", 4032, 3024) == 4032 * 3024 * 8


def test_the_bomb_is_processed_outside_the_web_worker(tmp_path: Path) -> None:
    out = _probe(tmp_path)
    assert out["ok"], out
    assert out["width"] == 2560
    # The web worker's own peak barely moves; the decoding happened in the image process.
    assert out["grew_kb"] < 40 * 1024, out
    assert 0 < out["worker_kb"] < 512 * 1024, out


def test_over_the_memory_bound_it_is_refused_before_decoding(tmp_path: Path) -> None:
    out = _probe(tmp_path, CIVIC_IMAGE_MAX_DECODED_BYTES=str(64 * MB))
    assert out["code"] == "image_too_large"
    assert "7000 × 7000" in out["message"]
    assert "memory" not in out["message"]  # in Kazakh
    assert out["grew_kb"] < 40 * 1024, out
    assert out["worker_kb"] == 0  # nothing was started: the header sufficed


def test_a_worker_out_of_memory_is_a_refusal_not_a_crash(settings: Any) -> None:
    settings.CIVIC_IMAGE_MAX_DECODED_BYTES = 1024 * MB
    settings.CIVIC_IMAGE_WORKER_MEMORY = 80 * MB
    # The request reads the header only: the bomb's estimate is under this bound, so it passes.
    checked = check_upload(upload("bomb.png", one_bit_png()))
    assert (checked.width, checked.height) == (7000, 7000)
    # The decoding, off the request, fails in its own process: a refusal, not a crash.
    with pytest.raises(ServiceError) as refused:
        render_public_image(one_bit_png(), "bomb.png")
    assert refused.value.code == "image_too_large"
    assert refused.value.fields["media"] == [refused.value.message]
