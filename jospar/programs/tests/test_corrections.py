"""Corrections to a read tree: each applies as stated and refuses what it cannot place."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jospar.planparser.program import parse_program
from jospar.programs.corrections import CorrectionError, apply_corrections, apply_one
from jospar.programs.tests.conftest import SEED

TREE: dict[str, Any] = parse_program(SEED.read_bytes()).to_json()


def test_rename_move_merge_split_target() -> None:
    tree = apply_corrections(
        TREE,
        [
            {"op": "rename", "path": [0, 0], "name": "  Өлкетану  жобасы "},
            {
                "op": "target",
                "path": [0, 1],
                "indicator": 0,
                "value": "1 500,5",
                "unit": "адам",
                "year": "2025",
            },
            {"op": "move", "path": [1, 2], "to": [0]},
            {"op": "merge", "path": [2, 3], "into": [2, 2]},
            {"op": "split", "path": [0, 0], "name": "Тарих мұрасы", "take": {"key_events": [7, 8]}},
        ],
    )
    tvb = tree["subprograms"][0]["base_projects"]
    assert [bp["name"] for bp in tvb] == [
        "Өлкетану жобасы",
        "Тарих мұрасы",
        "Отаным – тағдырым",
        "Саналы Азамат",
        "Жомарт жүрек",
    ]
    assert len(tvb[0]["key_events"]) == 7
    assert [e["text"][:12] for e in tvb[1]["key_events"]] == ["«Тарих мұрас", "Өлкетану рөл"]
    assert tvb[2]["outcome_indicators"][0]["target"] == {
        "value": 1500.5,
        "unit": "адам",
        "year": 2025,
    }
    rq = tree["subprograms"][2]["base_projects"]
    assert [bp["name"] for bp in rq] == [
        "Өнегелік құндылықтар",
        "Туған өлке мәдениеті",
        "Тарихи-мәдени мұра",
    ]
    assert len(rq[2]["key_events"]) == 8 + 3
    assert (
        TREE["subprograms"][0]["base_projects"][0]["name"] == "Өлкетану"
    )  # the input is untouched


@pytest.mark.parametrize(
    ("correction", "code"),
    [
        ({"op": "rename", "path": [0], "name": "   "}, "empty_name"),
        ({"op": "rename", "path": [9], "name": "x"}, "no_such_node"),
        ({"op": "rename", "path": [0, True], "name": "x"}, "no_such_node"),
        ({"op": "move", "path": [0, 0], "to": [0]}, "same_parent"),
        ({"op": "merge", "path": [0, 0], "into": [0, 0]}, "same_node"),
        ({"op": "split", "path": [0, 0], "name": "x", "take": {"nope": [1]}}, "bad_take"),
        ({"op": "target", "path": [0], "indicator": 0, "value": "abc"}, "bad_value"),
        ({"op": "target", "path": [0], "indicator": 0, "value": "1e999"}, "bad_value"),
        ({"op": "target", "path": [0], "indicator": 0, "value": "5", "year": "3000"}, "bad_year"),
        ({"op": "drop"}, "unknown_op"),
    ],
)
def test_refusals(correction: dict[str, Any], code: str) -> None:
    with pytest.raises(CorrectionError) as exc:
        apply_one(apply_corrections(TREE, []), correction)
    assert exc.value.code == code


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["op", "path", "to", "into", "name", "take", "indicator", "value", "year"]),
        st.one_of(
            st.sampled_from(["rename", "move", "merge", "split", "target"]),
            st.lists(st.integers(-2, 12), max_size=3),
            st.integers(-5, 50),
            st.text(max_size=8),
            st.none(),
            st.dictionaries(st.text(max_size=12), st.lists(st.integers(-2, 12), max_size=3)),
        ),
    )
)
def test_any_correction_applies_or_is_refused(correction: dict[str, Any]) -> None:
    tree = apply_corrections(TREE, [])
    try:
        apply_one(tree, correction)
    except CorrectionError:
        return
