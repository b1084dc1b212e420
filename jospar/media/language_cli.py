"""``jospar detect-language``: one JSON line in (``{"text": ...}``), one JSON line out."""

from __future__ import annotations

import json
from typing import TextIO

from jospar.media.language import detect


def run_detect_language(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    status = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"] if isinstance(row, dict) else None
            if not isinstance(text, str):
                raise ValueError
        except (ValueError, KeyError):
            stderr.write(f"line {number}: expected a JSON object with a text\n")
            stdout.write(json.dumps({"error": "expected a JSON object with a text"}) + "\n")
            status = 1
            continue
        stdout.write(json.dumps(detect(text).as_dict(), ensure_ascii=False) + "\n")
        stdout.flush()
    return status
