from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conveyor.errors import ReportError
from conveyor.gates.files import detect, expect, feed_xml, find_reports, iter_xml
from conveyor.gates.junit import parse_junit

from .conftest import Sample

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<coverage><packages><package><classes><class filename="a.py"><lines>
<line number="1" hits="&lol3;"/></lines></class></classes></package></packages></coverage>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite><testcase classname="a" name="&xxe;"/></testsuite>
"""


def test_formats_are_recognised_by_content_not_name(sample: Sample, tmp_path: Path) -> None:
    cases = {
        sample.coverage_xml: "cobertura",
        sample.junit_xml: "junit",
        sample.bandit_json: "bandit",
        sample.pip_audit_json: "pip-audit",
        sample.ruff_json: "ruff",
        sample.ruff_sarif: "sarif",
        sample.bench_json: "pytest-benchmark",
    }
    for index, (path, kind) in enumerate(cases.items()):
        renamed = tmp_path / f"report-{index}.txt"
        shutil.copy(path, renamed)
        assert detect(renamed, renamed.name)[0] == kind


def test_empty_ruff_report_is_ruff(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text("[]\n")
    assert detect(tmp_path / "r.json", "r.json")[0] == "ruff"


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_xml_declaring_entities_is_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "evil.xml").write_text(text)
    with pytest.raises(ReportError, match="declares entities") as info:
        detect(tmp_path / "evil.xml", "evil.xml")
    assert info.value.file == "evil.xml"


def _read_all(path: Path, name: str) -> None:
    kind, _ = detect(path, name)
    if kind in ("cobertura", "junit"):
        for _ in iter_xml(path, name):
            pass


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('<?xml version="1.0"?><coverage><packages><package>', "truncated"),
        ("<coverage><a></b></coverage>", "malformed"),
        ('{"results": [', "malformed or truncated JSON"),
        ("", "empty file"),
        ("hello", "neither XML nor JSON"),
        ('{"hello": 1}', "not a report conveyor reads"),
        ("<html><body/></html>", "root <html>"),
        ("[" * 100000 + "]" * 100000, "JSON"),
    ],
)
def test_unreadable_reports_say_which_file(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "bad").write_text(text)
    with pytest.raises(ReportError, match=words) as info:
        _read_all(tmp_path / "bad", "reports/bad")
    assert str(info.value).startswith("reports/bad: ")


def test_json_too_large_to_load_is_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("conveyor.gates.files.MAX_JSON_BYTES", 1024)
    (tmp_path / "big.json").write_text(json.dumps({"results": ["x" * 2048], "metrics": {}}))
    with pytest.raises(ReportError, match="too large for a JSON report") as info:
        detect(tmp_path / "big.json", "big.json")
    assert info.value.file == "big.json"


def test_deeply_nested_xml_is_read_without_crashing(tmp_path: Path) -> None:
    depth = 200_000
    (tmp_path / "deep.xml").write_text(
        "<testsuite>" + "<x>" * depth + "</x>" * depth + "</testsuite>"
    )
    assert detect(tmp_path / "deep.xml", "deep.xml")[0] == "junit"
    assert parse_junit(tmp_path / "deep.xml", "deep.xml", tmp_path) == []


def test_wrong_kind_for_a_gate_is_named(sample: Sample) -> None:
    with pytest.raises(
        ReportError, match="is JUnit XML, but the coverage gate reads Cobertura XML"
    ):
        expect("junit", ("cobertura",), "junit.xml", "coverage")


def test_globs_cross_directories_and_missing_patterns_are_kept(tmp_path: Path) -> None:
    (tmp_path / "reports/a").mkdir(parents=True)
    (tmp_path / "reports/junit-1.xml").write_text("x")
    (tmp_path / "reports/a/junit-2.xml").write_text("x")
    found = find_reports(tmp_path, ["reports/**/junit-*.xml", "coverage.xml", "none/*.json"])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "reports/a/junit-2.xml",
        "reports/junit-1.xml",
    ]
    assert found.missing == ("coverage.xml", "none/*.json")


def _parse_any(path: Path, root: Path) -> None:
    """Read `path` the way its gate would, whatever it turns out to be."""
    from conveyor.gates.cobertura import parse_cobertura
    from conveyor.gates.findings import (
        bandit_findings,
        pip_audit_findings,
        ruff_findings,
        sarif_findings,
    )
    from conveyor.gates.performance import benchmarks

    kind, data = detect(path, "r")
    readers = {
        "cobertura": lambda: parse_cobertura(path, "r", root),
        "junit": lambda: parse_junit(path, "r", root),
        "bandit": lambda: bandit_findings(data, "r"),
        "pip-audit": lambda: pip_audit_findings(data, "r", "high"),
        "sarif": lambda: sarif_findings(data, "r", "security"),
        "ruff": lambda: ruff_findings(data, "r", str(root)),
        "pytest-benchmark": lambda: benchmarks(data, "r"),
    }
    readers[kind]()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0), garbage=st.binary(max_size=40), which=st.integers(0, 6))
def test_truncated_or_corrupted_real_reports_never_crash(
    sample: Sample, tmp_path: Path, cut: int, garbage: bytes, which: int
) -> None:
    source = [
        sample.coverage_xml, sample.junit_xml, sample.bandit_json, sample.pip_audit_json,
        sample.ruff_json, sample.ruff_sarif, sample.bench_json,
    ][which]  # fmt: skip
    text = source.read_bytes()
    cut = cut % (len(text) + 1)
    target = tmp_path / "report"
    target.write_bytes(text[:cut] + garbage + text[cut + len(garbage) :])
    error: ReportError | None = None
    try:
        _parse_any(target, sample.root)
    except ReportError as exc:  # anything else would be a crash
        error = exc
    assert error is None or error.file == "r"


class _Counter:
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.started.append(tag)

    def end(self, tag: str) -> None:
        pass


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BILLION_LAUGHS, "declares entities"),
        (EXTERNAL_ENTITY, "declares entities"),
        ("<coverage><packages>", "truncated"),
        ("<coverage></packages>", "malformed"),
    ],
)
def test_the_streaming_reader_refuses_what_the_element_reader_refuses(
    tmp_path: Path, text: str, words: str
) -> None:
    (tmp_path / "r.xml").write_text(text)
    counter = _Counter()
    with pytest.raises(ReportError, match=words):
        feed_xml(tmp_path / "r.xml", "r.xml", counter)
    assert "line" not in counter.started


def test_the_streaming_reader_sees_every_element(tmp_path: Path) -> None:
    (tmp_path / "r.xml").write_text('<coverage><a x="1"/><b/></coverage>')
    counter = _Counter()
    feed_xml(tmp_path / "r.xml", "r.xml", counter)
    assert counter.started == ["coverage", "a", "b"]
