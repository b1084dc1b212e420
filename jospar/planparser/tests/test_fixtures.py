"""The committed copies of the contract's files must be the contract's files."""

from __future__ import annotations

import pytest

from jospar.planparser.tests.seedtools import FIXTURES, REPO, SHARED

COPIES = {
    SHARED / "spec" / "plan-import.gold.json": FIXTURES / "plan-import.gold.json",
    SHARED / "spec" / "program-import.gold.json": FIXTURES / "program-import.gold.json",
    **{
        SHARED / "seeds" / p.name: p
        for p in sorted((REPO / "jospar" / "plans" / "demo_seeds").glob("*.txt"))
    },
    **{SHARED / "seeds" / p.name: p for p in sorted(FIXTURES.glob("*.txt"))},
    **{
        SHARED / "seeds" / p.name: p
        for p in sorted((REPO / "jospar" / "programs" / "demo_seeds").glob("*.txt"))
    },
}


@pytest.mark.skipif(not SHARED.exists(), reason="no ../shared beside this checkout to compare with")
@pytest.mark.parametrize(("contract", "copy"), list(COPIES.items()), ids=lambda p: p.name)
def test_fixtures_match_the_contract(contract: object, copy: object) -> None:
    assert contract.read_bytes() == copy.read_bytes(), f"{copy} differs from {contract}"  # type: ignore[attr-defined]
