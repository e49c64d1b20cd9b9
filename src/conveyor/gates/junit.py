"""JUnit XML (pytest `--junitxml`, Surefire-style reruns), streamed.

Each `<testcase>` becomes a `TestCase` with its pytest node id, rebuilt from `file`
(when present) or `classname` (dotted module path, then classes) and `name`. Reruns show
up as attempts: `<flakyFailure>`/`<flakyError>` (failed, then passed), `<rerunFailure>`/
`<rerunError>` (failed again), or the same id appearing more than once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from conveyor.errors import ReportError
from conveyor.gates.files import iter_xml, local
from conveyor.gates.history import Outcome

_FINAL = {"failure": "failed", "error": "error", "skipped": "skipped"}
_RERUN = {"flakyFailure", "flakyError", "rerunFailure", "rerunError"}


@dataclass(frozen=True, slots=True, kw_only=True)
class TestCase:
    """One test with every attempt at it in the reports, oldest first."""

    __test__ = False

    id: str  # pytest node id: tests/test_net.py::TestX::test_retry[1]
    alt_id: str  # classname::name, as some tools print it
    attempts: tuple[Outcome, ...]
    message: str = ""
    duration: float | None = None

    @property
    def outcome(self) -> Outcome:
        return self.attempts[-1]

    @property
    def flaky(self) -> bool:
        return "passed" in self.attempts and ("failed" in self.attempts or "error" in self.attempts)

    def known_as(self, test_id: str) -> bool:
        """Whether `test_id` names this test (node id, classname::name, or without parameters)."""
        return test_id in (self.id, self.alt_id, self.id.partition("[")[0])


def parse_junit(path: Path, name: str, root: Path) -> list[TestCase]:
    ids = _NodeIds(root)
    cases: list[TestCase] = []
    attempts: list[Outcome] = []
    final: Outcome = "passed"
    message = ""
    seen_root = False
    for event, element in iter_xml(path, name):
        tag = local(element.tag)
        if event == "start":
            if not seen_root:
                if tag not in ("testsuites", "testsuite"):
                    raise ReportError(f"not JUnit XML: root is <{tag}>", file=name)
                seen_root = True
            elif tag == "testcase":
                attempts, final, message = [], "passed", ""
            continue
        if tag in _FINAL:
            final = _FINAL[tag]  # type: ignore[assignment]
            message = message or (element.get("message") or "")[:500]
        elif tag in _RERUN:
            attempts.append("error" if tag.endswith("Error") else "failed")
        elif tag == "testcase":
            cases.append(_case(ids, element, name, [*attempts, final], message))
            element.clear()
        elif tag == "testsuite":
            element.clear()
    return cases


def _case(
    ids: _NodeIds, element: Element, name: str, attempts: list[Outcome], msg: str
) -> TestCase:
    test = element.get("name")
    if test is None:
        raise ReportError("a <testcase> has no name attribute", file=name)
    classname = element.get("classname") or ""
    try:
        duration: float | None = float(element.get("time") or "")
    except ValueError:
        duration = None
    node = ids.node_id(classname, test, element.get("file"))
    return TestCase(
        id=node,
        alt_id=f"{classname}::{test}" if classname else test,
        attempts=tuple(attempts),
        message=msg,
        duration=duration,
    )


def merge_cases(cases: Iterable[TestCase]) -> list[TestCase]:
    """One `TestCase` per id; repeated ids (reruns, several reports) become attempts."""
    merged: dict[str, TestCase] = {}
    for case in cases:
        prior = merged.get(case.id)
        if prior is None:
            merged[case.id] = case
        else:
            merged[case.id] = TestCase(
                id=case.id,
                alt_id=case.alt_id,
                attempts=prior.attempts + case.attempts,
                message=case.message or prior.message,
                duration=case.duration,
            )
    return [merged[k] for k in sorted(merged)]


class _NodeIds:
    """Rebuild pytest node ids; which dotted prefix is the module is decided once per classname."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[tuple[str, str | None], tuple[str, list[str]]] = {}

    def node_id(self, classname: str, name: str, file: str | None) -> str:
        key = (classname, file)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._split(classname, file)
        module, classes = found
        return "::".join([module, *classes, name]) if module else "::".join([*classes, name])

    def _split(self, classname: str, file: str | None) -> tuple[str, list[str]]:
        parts = [p for p in classname.split(".") if p]
        if file:
            module_parts = Path(file).with_suffix("").parts
            count = len(module_parts)
            if parts[:count] == list(module_parts):
                return Path(file).as_posix(), parts[count:]
            return Path(file).as_posix(), [p for p in parts if p[:1].isupper()]
        for cut in range(len(parts), 0, -1):
            candidate = "/".join(parts[:cut]) + ".py"
            if os.path.isfile(self.root / candidate):
                return candidate, parts[cut:]
        cut = len(parts)
        while cut > 1 and parts[cut - 1][:1].isupper():
            cut -= 1
        if not parts:
            return "", []
        return "/".join(parts[:cut]) + ".py", parts[cut:]
