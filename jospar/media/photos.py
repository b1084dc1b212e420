"""Photo reuse: the same photo published again, resized, recompressed, cropped a little or
mirrored, found by a perceptual hash (``imagehash``'s pHash, 64 bits).

The stored hash is the smaller of the photo's pHash and its mirror image's, so a mirrored copy
has the same stored hash as the original. Two photos are one when their hashes differ in at
most ``MAX_DISTANCE`` bits. For a lookup in milliseconds the hash is cut into ``BANDS`` bands
of 16 bits kept as ``PublicationBand`` keys (in a key space of their own): a copy that differs
in at most three bits shares a band for certain, and most farther copies still do.
"""

from __future__ import annotations

import hashlib
import io

import imagehash
from PIL import Image, ImageOps

MAX_DISTANCE = 10
BANDS = 4
MAX_PIXELS = 40_000_000


def photo_hash(data: bytes) -> str | None:
    """The photo's mirror-invariant pHash as 16 hex digits; None when it is not an image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS or width < 16 or height < 16:
                return None
            image = probe.convert("L")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    direct = str(imagehash.phash(image))
    mirrored = str(imagehash.phash(ImageOps.mirror(image)))
    return min(direct, mirrored)


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def same_photo(a: str, b: str) -> bool:
    return bool(a) and bool(b) and distance(a, b) <= MAX_DISTANCE


def band_keys(value: str) -> list[int]:
    keys = []
    for band in range(BANDS):
        chunk = value[band * 4 : (band + 1) * 4]
        digest = hashlib.blake2b(f"photo{band}:{chunk}".encode(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
