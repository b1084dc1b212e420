"""The tile server is used only when this machine can resolve it."""

from __future__ import annotations

from typing import Any

import pytest

from jospar.core import maps

TILES = "https://tiles.example.kz/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _fresh(settings: Any) -> None:
    maps._resolved.clear()
    settings.MAP_TILE_CHECK = True
    settings.MAP_TILE_URL = TILES


def test_a_resolvable_host_gives_its_tiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maps, "_resolves", lambda host: host == "tiles.example.kz")
    assert maps.map_tile_url() == TILES


def test_an_unresolvable_host_gives_no_tiles_and_is_not_asked_again_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def unresolved(host: str) -> bool:
        asked.append(host)
        return False

    monkeypatch.setattr(maps, "_resolves", unresolved)
    assert maps.map_tile_url() == ""
    assert maps.map_tile_url() == ""
    assert asked == ["tiles.example.kz"]
    monkeypatch.setattr("jospar.core.maps.time.monotonic", lambda: 10.0**9)
    monkeypatch.setattr(maps, "_resolves", lambda host: True)
    assert maps.map_tile_url() == TILES


def test_none_and_unchecked(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maps, "_resolves", lambda host: False)
    settings.MAP_TILE_URL = "none"
    assert maps.map_tile_url() == ""
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_CHECK = False
    assert maps.map_tile_url() == TILES
