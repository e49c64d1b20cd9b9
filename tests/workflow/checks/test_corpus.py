"""Every workflow in the shared corpus runs on GitHub, so none may get an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.workflow.checks import check_paths


@pytest.mark.reference
def test_no_corpus_workflow_or_action_gets_an_error(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus"
    projects = sorted(p for p in corpus.iterdir() if (p / ".github" / "workflows").is_dir())
    actions = sorted(
        p for p in corpus.rglob("action.y*ml") if not p.parent.match(".github/workflows")
    )
    diagnostics = check_paths([*projects, *actions], root=corpus)
    errors = [str(d) for d in diagnostics if d.is_error]
    assert errors == []
    assert len(projects) >= 20


@pytest.mark.reference
def test_corpus_warnings_are_only_the_honest_kinds(shared_dir: Path) -> None:
    """Third-party runner labels and properties that GitHub reads as null; nothing else."""
    corpus = shared_dir / "corpus"
    projects = sorted(p for p in corpus.iterdir() if (p / ".github" / "workflows").is_dir())
    rules = {d.rule for d in check_paths(projects, root=corpus)}
    assert rules <= {"runner-label", "unknown-property"}
