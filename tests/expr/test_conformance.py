"""Agreement with the expression cases taken from nektos/act's tests (see docs/compatibility.md)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "conformance_expr.py"

pytestmark = pytest.mark.reference


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conformance_expr", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_at_least_98_percent_of_act_evaluate_cases_agree(shared_dir: Path) -> None:
    outcomes, status = _script().run(shared_dir)
    evaluated = [o for o in outcomes if o.kind == "evaluate"]
    agreed = sum(o.agrees for o in evaluated)
    assert len(evaluated) > 400
    assert agreed / len(evaluated) >= 0.98, _script().report(outcomes)
    assert status == 0


def test_every_interpolate_case_agrees(shared_dir: Path) -> None:
    outcomes, _ = _script().run(shared_dir)
    failing = [o.case_id for o in outcomes if o.kind == "interpolate" and not o.agrees]
    assert failing == []


def test_hash_files_differs_from_act_only_by_githubs_hash_of_hashes(shared_dir: Path) -> None:
    outcomes, _ = _script().run(shared_dir)
    hashing = [o for o in outcomes if o.case_id.startswith("TestFunctionHashFiles/")]
    assert hashing
    for outcome in hashing:
        # either equal (no file matched), or the very files act hashed
        assert outcome.agrees or "the same files" in outcome.detail, outcome


def test_the_script_prints_the_rate_and_exits_zero(shared_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(shared_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "evaluate: " in proc.stdout
    assert "agree (" in proc.stdout


def test_the_script_refuses_a_missing_directory(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "act-expression-cases.json not found" in proc.stderr
