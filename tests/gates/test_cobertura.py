from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.errors import ReportError
from conveyor.gates.cobertura import merge, parse_cobertura

from .conftest import Sample


def test_real_coverage_py_report(sample: Sample) -> None:
    data = parse_cobertura(sample.coverage_xml, "coverage.xml", sample.root)
    assert sorted(data.lines) == [
        "src/app/__init__.py",
        "src/app/config.py",
        "src/app/core/__init__.py",
        "src/app/core/calc.py",
    ]
    config = data.file("src/app/config.py")
    assert (config.statements, config.covered) == (
        7,
        5,
    )  # unused() never called, nor the dev branch
    text = sample.coverage_xml.read_text()
    valid = int(text.split('lines-valid="')[1].split('"')[0])
    covered = int(text.split('lines-covered="')[1].split('"')[0])
    assert (data.totals().statements, data.totals().covered) == (valid, covered)


def _report(source: str, filename: str, lines: str) -> str:
    return (
        f'<?xml version="1.0" ?><!DOCTYPE coverage SYSTEM "https://cobertura.sourceforge.net/xml/coverage-04.dtd">'
        f"<coverage><sources><source>{source}</source></sources><packages><package><classes>"
        f'<class filename="{filename}"><lines>{lines}</lines></class>'
        f"</classes></package></packages></coverage>"
    )


def test_absolute_source_inside_the_project_becomes_relative(tmp_path: Path) -> None:
    (tmp_path / "src/pkg").mkdir(parents=True)
    (tmp_path / "src/pkg/mod.py").write_text("x = 1\n")
    (tmp_path / "c.xml").write_text(
        _report(str(tmp_path / "src"), "pkg/mod.py", '<line number="1" hits="3"/>')
    )
    data = parse_cobertura(tmp_path / "c.xml", "c.xml", tmp_path)
    assert list(data.lines) == ["src/pkg/mod.py"]
    assert data.file("src/pkg/mod.py").percent == 100.0


def test_relative_source_is_joined_from_the_project_root(tmp_path: Path) -> None:
    (tmp_path / "c.xml").write_text(_report("src", "pkg/mod.py", '<line number="2" hits="0"/>'))
    data = parse_cobertura(tmp_path / "c.xml", "c.xml", tmp_path)
    assert data.file("src/pkg/mod.py").percent == 0.0


def test_a_doctype_without_entities_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "c.xml").write_text(_report(".", "a.py", '<line number="1" hits="1"/>'))
    assert parse_cobertura(tmp_path / "c.xml", "c.xml", tmp_path).totals().covered == 1


@pytest.mark.parametrize(
    "line", ['<line number="x" hits="1"/>', '<line hits="1"/>', '<line number="-3" hits="1"/>']
)
def test_bad_line_attributes_name_the_file(tmp_path: Path, line: str) -> None:
    (tmp_path / "c.xml").write_text(_report(".", "a.py", line))
    with pytest.raises(ReportError, match="<line>") as info:
        parse_cobertura(tmp_path / "c.xml", "c.xml", tmp_path)
    assert info.value.file == "c.xml"


def test_merging_reports_takes_the_better_state_per_line(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(
        _report(".", "m.py", '<line number="1" hits="1"/><line number="2" hits="0"/>')
    )
    (tmp_path / "b.xml").write_text(
        _report(
            ".",
            "m.py",
            '<line number="1" hits="0"/><line number="2" hits="4"/><line number="3" hits="0"/>',
        )
    )
    merged = merge(parse_cobertura(tmp_path / n, n, tmp_path) for n in ("a.xml", "b.xml"))
    assert (merged.file("m.py").statements, merged.file("m.py").covered) == (3, 2)
