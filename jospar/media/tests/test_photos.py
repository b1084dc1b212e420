"""Photo reuse: resized, recompressed, cropped a little or mirrored copies match; other photos
do not; a copy is found through the band lookup."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageOps

from jospar.media.models import Source
from jospar.media.photos import photo_hash, same_photo
from jospar.media.services.publications import NewPublication, photo_reuses, publication_record


def _photo(seed: int) -> Image.Image:
    rnd = random.Random(seed)
    image = Image.new("RGB", (640, 480), (rnd.randrange(256),) * 3)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rnd.randrange(600), rnd.randrange(440)
        box = [x, y, x + rnd.randrange(20, 200), y + rnd.randrange(20, 200)]
        draw.ellipse(box, fill=tuple(rnd.randrange(256) for _ in range(3)))
    return image


def _jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_copies_match_and_other_photos_do_not() -> None:
    original = _photo(1)
    first = photo_hash(_jpeg(original))
    assert first is not None
    copies = [
        _jpeg(original.resize((320, 240))),
        _jpeg(original, quality=30),
        _jpeg(original.crop((16, 12, 624, 468))),
        _jpeg(ImageOps.mirror(original)),
    ]
    for copy in copies:
        found = photo_hash(copy)
        assert found is not None
        assert same_photo(first, found)
    for seed in range(2, 12):
        other = photo_hash(_jpeg(_photo(seed)))
        assert other is not None
        assert not same_photo(first, other)
    assert photo_hash(b"not an image") is None


@pytest.mark.django_db
def test_a_reused_photo_is_found_through_the_bands() -> None:
    source = Source.objects.create(name="Photos", kind="regional", method="feed")
    original = _photo(1)

    def add(n: int, data: bytes) -> object:
        return publication_record(
            source=source,
            new=NewPublication(
                url=f"https://photos.example/{n}", title=f"n{n}", image_phash=photo_hash(data) or ""
            ),
        )

    first = add(1, _jpeg(original))
    add(2, _jpeg(ImageOps.mirror(original.resize((400, 300))), quality=40))
    add(3, _jpeg(_photo(7)))
    assert first is not None
    found = photo_reuses(first)  # type: ignore[arg-type]
    assert [p.title for p in found] == ["n2"]
