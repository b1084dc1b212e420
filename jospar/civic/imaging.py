"""Decoding a citizen's photo and making its clean public copy, with bounded memory.

A 6 KB PNG can hold 7000 × 7000 one-bit pixels: under the pixel limit, yet decoding it and
converting it to RGB took a worker from 126 MB to 634 MB. So, before a pixel is decoded:

* the header gives the size and the mode; a JPEG is asked to decode at the smallest scale that
  still gives the public size (``draft``: a 48-megapixel photo decodes at a quarter of its pixels);
* the memory the decoding will take is estimated — width × height × (bytes of the decoded mode
  + bytes of the mode it is converted to), as Pillow stores them — and an image over
  ``max_decoded_bytes`` is refused;
* the decoding itself runs in a separate process (``python -m jospar.civic.imaging``) whose
  address space is limited with ``RLIMIT_AS``: should an estimate be wrong, that process fails,
  not the web worker, and the memory it took is given back when it ends.

This module imports no Django: the worker process starts in a fraction of a second. The caller
(``jospar.civic.media``) turns the result codes into messages for people.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from typing import IO, Any

from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "MPO", "PNG", "WEBP")

# Bytes per pixel as Pillow keeps a decoded image in memory (RGB takes four, not three).
_STORED_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
_GREY = ("1", "L", "I;16", "I;16B", "I;16L", "I;16N", "I", "F")
# EXIF orientation → the transposition that puts the picture upright (as ImageOps does).
_ORIENT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Limits:
    max_pixels: int
    max_decoded_bytes: int
    public_side: int
    thumbnail_side: int


class ImageRefused(Exception):
    """``code``: ``type`` (not a photo format), ``pixels``, ``memory``, ``damaged``."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def _target_mode(mode: str, alpha: bool) -> str:
    if alpha:
        return "RGBA"
    return "L" if mode in _GREY else "RGB"


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def decoded_bytes(mode: str, width: int, height: int, alpha: bool = False) -> int:
    """What decoding and converting an image of this mode and size holds in memory at most."""
    stored = _STORED_BYTES.get(mode, 4)
    converted = _STORED_BYTES.get(_target_mode(mode, alpha), 4)
    # Decoded and converted side by side; then the converted one and its upright copy.
    return width * height * max(stored + converted, 2 * converted)


def inspect(opened: Image.Image, limits: Limits) -> tuple[int, int]:
    """Check the header of an opened image (nothing decoded); ask a JPEG for a smaller decode.
    Returns the size it will decode at."""
    if opened.format not in ALLOWED_FORMATS:
        raise ImageRefused("type", format=opened.format or "?")
    width, height = opened.size
    if width <= 0 or height <= 0 or width * height > limits.max_pixels:
        raise ImageRefused("pixels", width=width, height=height)
    if opened.format in ("JPEG", "MPO"):
        opened.draft("RGB", (limits.public_side, limits.public_side))
    need = decoded_bytes(opened.mode, *opened.size, alpha=_has_alpha(opened))
    if need > limits.max_decoded_bytes:
        raise ImageRefused("memory", width=width, height=height, need=need)
    return opened.size


def _contain(image: Image.Image, side: int) -> Image.Image:
    if image.width <= side and image.height <= side:
        return image
    scale = side / max(image.width, image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, alpha: bool, quality: int) -> bytes:
    # A new image holding only the pixels: nothing of the original's metadata can follow.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if alpha:
        clean.save(out, format="PNG", optimize=False)
    else:
        clean.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def render(stream: IO[bytes], limits: Limits) -> dict[str, Any]:
    """Decode the image and make its public copy and thumbnail: orientation applied, every piece
    of metadata dropped. Raises ``ImageRefused``."""
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with Image.open(stream) as opened:
            inspect(opened, limits)
            orientation = opened.getexif().get(0x0112)
            alpha = _has_alpha(opened)
            opened.seek(0)
            opened.load()
            image = opened.convert(_target_mode(opened.mode, alpha))
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, MemoryError) as exc:
        raise ImageRefused("memory") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRefused("damaged") from exc
    if orientation in _ORIENT:
        image = image.transpose(_ORIENT[orientation])
    public = _contain(image, limits.public_side)
    del image
    thumbnail = _contain(public, limits.thumbnail_side)
    return {
        "public": _encode(public, alpha, quality=85),
        "thumbnail": _encode(thumbnail, alpha, quality=80),
        "extension": "png" if alpha else "jpg",
        "width": public.width,
        "height": public.height,
    }


# --- the worker process -------------------------------------------------------------------
# stdin: the image; argv[1]: the limits as JSON, with "memory" (bytes of address space).
# stdout: a JSON header line, then the public copy and the thumbnail (their lengths in the
# header). Exit status 0 either way; anything else means the process was killed or crashed.


def _limit_memory(memory: int) -> None:
    import resource

    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def worker(argv: list[str], stdin: IO[bytes], stdout: IO[bytes]) -> int:
    spec = json.loads(argv[1])
    _limit_memory(int(spec.pop("memory", 0)))
    limits = Limits(**spec)
    data = stdin.read()
    try:
        result = render(io.BytesIO(data), limits)
    except ImageRefused as refused:
        header = {"ok": False, "code": refused.code, **refused.details}
        stdout.write(json.dumps(header).encode() + b"\n")
        return 0
    public, thumbnail = result.pop("public"), result.pop("thumbnail")
    header = {"ok": True, **result, "public_len": len(public), "thumbnail_len": len(thumbnail)}
    stdout.write(json.dumps(header).encode() + b"\n" + public + thumbnail)
    return 0


def parse_output(output: bytes) -> dict[str, Any]:
    """The worker's answer, as ``render`` returns it; raises ``ImageRefused``."""
    line, _, rest = output.partition(b"\n")
    header: dict[str, Any] = json.loads(line)
    if not header.pop("ok"):
        raise ImageRefused(str(header.pop("code")), **header)
    public_len, thumbnail_len = int(header.pop("public_len")), int(header.pop("thumbnail_len"))
    if len(rest) != public_len + thumbnail_len:
        raise ImageRefused("damaged")
    header["public"] = rest[:public_len]
    header["thumbnail"] = rest[public_len:]
    return header


if __name__ == "__main__":  # pragma: no cover - run as a separate process
    try:
        sys.exit(worker(sys.argv, sys.stdin.buffer, sys.stdout.buffer))
    except MemoryError:
        sys.stdout.buffer.write(b'\n{"ok": false, "code": "memory"}\n')
        sys.exit(0)
