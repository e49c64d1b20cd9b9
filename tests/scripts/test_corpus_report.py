"""scripts/corpus_report.py: every corpus step is classified, and the native share holds."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "corpus_report", ROOT / "scripts" / "corpus_report.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_step_is_classified_and_most_uses_steps_run_natively(
    shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script()
    rows, total = script.report(shared_dir)
    assert len(rows) > 150
    assert set(total) <= set(script.KINDS)
    assert total["run"] > 800
    # a regression guard: built-in actions and local composites cover most `uses:` steps
    uses = sum(total[k] for k in script.KINDS if k != "run")
    assert total["native"] / uses > 0.8
    assert script.main(["--shared", str(shared_dir)]) == 0
    assert "run natively" in capsys.readouterr().out


def test_a_missing_corpus_is_exit_2(tmp_path: Path) -> None:
    assert load_script().main(["--shared", str(tmp_path)]) == 2
