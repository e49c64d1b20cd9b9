from __future__ import annotations

import json
from pathlib import Path

import pytest

from conveyor.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["expr", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("1 == 1", True),
        ("${{ 1 == 1 }}", True),
        ("  ${{ fromJSON('{\"a\": [1, 2.5]}') }}  ", {"a": [1, 2.5]}),
        ("format('{0}-{1}', 'a', 1)", "a-1"),
        ("null", None),
        ("0xff", 255),
        ("v${{ 1 }}.${{ 2 }}", "v1.2"),
        ("toJSON(fromJSON('[]'))", "[]"),
    ],
)
def test_prints_the_value_as_json(
    capsys: pytest.CaptureFixture[str], expression: str, printed: object
) -> None:
    code, out, _ = run(capsys, expression)
    assert code == 0
    assert json.loads(out) == printed


def test_reads_contexts_from_a_json_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    contexts = tmp_path / "ctx.json"
    contexts.write_text(
        json.dumps({"github": {"ref": "refs/heads/main"}, "matrix": {"py": "3.12"}})
    )
    code, out, _ = run(
        capsys, "github.REF == 'refs/heads/main' && matrix.py", "--context", str(contexts)
    )
    assert code == 0
    assert json.loads(out) == "3.12"


def test_hash_files_looks_in_the_current_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "req.txt").write_text("click\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "hashFiles('*.txt')")
    assert code == 0
    assert len(json.loads(out)) == 64


@pytest.mark.parametrize(
    ("expression", "column", "says"),
    [
        ("github.ref ==", 14, "expected a value"),
        ("${{ 1 == }}", 7, "expected a value"),  # within the text between the braces
        ("nope()", 1, "unknown function `nope`"),
        ("fromJSON('{')", 1, "not valid JSON"),
        ("format('{1}', 'a')", 1, "references more arguments"),
        ("foo.bar", 1, "unknown context `foo`"),
    ],
)
def test_expression_errors_exit_2_and_point_at_the_column(
    capsys: pytest.CaptureFixture[str], expression: str, column: int, says: str
) -> None:
    code, out, err = run(capsys, expression)
    assert code == 2
    assert out == ""
    assert says in err
    assert f"column {column}" in err
    assert "Traceback" not in err


def test_the_error_shows_a_caret_under_the_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "github.ref == 'a' ||")
    assert code == 2
    lines = err.splitlines()
    assert lines[-2] == "  github.ref == 'a' ||"
    assert lines[-1] == "  " + " " * 20 + "^"


def test_unclosed_template_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "echo ${{ github.ref")
    assert code == 2
    assert "unclosed `${{`" in err


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ("", "not valid JSON"),
    ],
)
def test_a_bad_context_file_is_exit_2_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "contexts.json"
    path.write_text(content)
    code, _, err = run(capsys, "1", "--context", str(path))
    assert code == 2
    assert str(path) in err
    assert says in err


def test_a_missing_context_file_is_exit_2_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "missing.json"
    code, _, err = run(capsys, "1", "--context", str(path))
    assert code == 2
    assert str(path) in err
    assert "cannot read" in err
