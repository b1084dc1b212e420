"""Repeats: the same text reprinted by other sources, found without comparing with every text.

A text becomes the set of its word shingles (``SHINGLE`` words each, letters and digits only,
lower-cased), and a MinHash signature of that set (``datasketch``, ``PERMUTATIONS`` values). The
signature is cut into ``BANDS`` bands of ``ROWS`` values; each band's hash is stored in an indexed
column (``PublicationBand.key``), so a new publication's candidates are the ones sharing a band
key: one indexed lookup, whatever the number of old publications. Each candidate is then checked
by the containment its signature estimates (the share of the shorter text found in the other,
from the estimated Jaccard similarity and the two shingle counts), so a trimmed or padded
reprint still matches while a text on the same topic does not.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

SHINGLE = 4
PERMUTATIONS = 128
ROWS = 3
BANDS = PERMUTATIONS // ROWS
SEED = 13
CONTAINMENT = 0.45
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+", re.UNICODE)
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=_SCHEME).permutations


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # PERMUTATIONS unsigned 64-bit values (32 significant bits)
    shingles: int

    def to_bytes(self) -> bytes:
        return struct.pack("<I", self.shingles) + self.values.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        (count,) = struct.unpack("<I", data[:4])
        return cls(np.frombuffer(data[4:], dtype="<u8").astype(np.uint64), count)

    def band_keys(self) -> list[int]:
        keys = []
        for band in range(BANDS):
            chunk = self.values[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys


def shingles(text: str) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {
        " ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)
    }


def signature(text: str) -> Signature | None:
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch(list(found))
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint64), len(found))


def jaccard(a: Signature, b: Signature) -> float:
    return float(np.count_nonzero(a.values == b.values)) / PERMUTATIONS


def containment(a: Signature, b: Signature) -> float:
    """The estimated share of the shorter text's shingles found in the other text."""
    j = jaccard(a, b)
    if j <= 0:
        return 0.0
    common = j * (a.shingles + b.shingles) / (1 + j)
    return min(1.0, common / max(1, min(a.shingles, b.shingles)))


def is_repeat(a: Signature, b: Signature) -> bool:
    return containment(a, b) >= CONTAINMENT
