"""Where `uses: ./…` points once earlier steps have checked code out somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.workflow.checks.local import Checkout, resolve_local

ROOT = Path("/repo")


@pytest.mark.parametrize(
    ("uses", "checkouts", "expected"),
    [
        ("./.github/actions/a", (), ROOT / ".github/actions/a"),
        ("./", (), ROOT),
        ("./sub/.github/actions/a", (("sub", None),), ROOT / ".github/actions/a"),
        ("./.venv/a", ((".venv", None),), ROOT / "a"),
        ("./sub/a", (("./sub/", None),), ROOT / "a"),
        ("./a", (("", "other/repo"),), None),
        ("./other/a", (("other", "other/repo"),), None),
        ("./a", (("other", "other/repo"),), ROOT / "a"),
    ],
)
def test_resolve_local(uses: str, checkouts: tuple[Checkout, ...], expected: Path | None) -> None:
    assert resolve_local(ROOT, uses, checkouts) == (expected.resolve() if expected else None)
