from __future__ import annotations

from decimal import Decimal as D

import pytest

from jospar.indicators.achievement import Light, achievement


@pytest.mark.parametrize(
    ("direction", "value", "target", "comparator", "percent", "light"),
    [
        ("up", "100", "100", "eq", "100.0", Light.GREEN),
        ("up", "95", "100", "eq", "95.0", Light.AMBER),
        ("up", "50", "100", "ge", "50.0", Light.RED),
        ("up", "120", "100", "ge", "120.0", Light.GREEN),
        ("down", "8", "10", "le", "125.0", Light.GREEN),
        ("down", "11", "10", "eq", "90.9", Light.AMBER),
        ("down", "20", "10", "eq", "50.0", Light.RED),
        ("to_value", "50.2", "50", "eq", "99.6", Light.GREEN),
        ("to_value", "54", "50", "eq", "92.0", Light.AMBER),
        ("to_value", "80", "50", "eq", "40.0", Light.RED),
        ("up", "0", "0", "eq", "100", Light.GREEN),
    ],
)
def test_the_stated_rule(
    direction: str, value: str, target: str, comparator: str, percent: str, light: Light
) -> None:
    result = achievement(direction, D(value), D(target), comparator)
    assert result.percent == D(percent)
    assert result.light == light


def test_grey_without_value_or_target() -> None:
    assert achievement("up", None, D(1)).light == Light.GREY
    assert achievement("up", D(1), None).light == Light.GREY
