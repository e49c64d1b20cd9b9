"""Finding report files and recognising their format by content.

`reports` lists are plain paths and globs (`**` crosses directories), relative to the
project root. A pattern that matches nothing is a *missing* report (the gate fails); a
file that cannot be read is a `ReportError` (exit 2). XML goes through defusedxml and is
streamed; XML that declares entities is refused outright.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ExpatError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from conveyor.errors import ReportError

Kind = Literal["cobertura", "junit", "sarif", "bandit", "pip-audit", "pytest-benchmark", "ruff"]
KIND_NAMES: dict[Kind, str] = {
    "cobertura": "Cobertura XML",
    "junit": "JUnit XML",
    "sarif": "SARIF 2.1.0",
    "bandit": "bandit JSON",
    "pip-audit": "pip-audit JSON",
    "pytest-benchmark": "pytest-benchmark JSON",
    "ruff": "ruff JSON",
}
MAX_JSON_BYTES = 256 * 1024 * 1024  # JSON is not streamed; anything larger is refused


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """The files the `reports` patterns matched, and the patterns that matched none."""

    files: tuple[Path, ...]
    missing: tuple[str, ...]


def find_reports(root: Path, patterns: Sequence[str]) -> Found:
    files: list[Path] = []
    missing: list[str] = []
    for pattern in patterns:
        base = pattern if Path(pattern).is_absolute() else str(root / pattern)
        matches = (
            sorted(Path(m) for m in glob.glob(base, recursive=True) if Path(m).is_file())
            if glob.has_magic(pattern)
            else ([Path(base)] if Path(base).exists() else [])
        )
        if not matches:
            missing.append(pattern)
        files.extend(m for m in matches if m not in files)
    return Found(files=tuple(files), missing=tuple(missing))


def shown(path: Path, root: Path) -> str:
    """`path` as the user wrote it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------- XML


def iter_xml(path: Path, name: str) -> Iterator[tuple[str, Element]]:
    """Stream `(event, element)` pairs ("start"/"end"), refusing entities; errors name the file."""
    try:
        with path.open("rb") as fh:
            yield from SafeET.iterparse(
                fh, events=("start", "end"), forbid_dtd=False, forbid_entities=True
            )
    except DefusedXmlException:
        raise ReportError(
            "refused: the XML declares entities (a possible entity-expansion attack)", file=name
        ) from None
    except ParseError as exc:
        raise ReportError(f"malformed or truncated XML: {exc}", file=name) from None
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", file=name) from None


class Target(Protocol):
    """What `feed_xml` calls for each element (no tree is built)."""

    def start(self, tag: str, attrib: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...


def feed_xml(path: Path, name: str, target: Target) -> None:
    """Stream the XML at `path` into `target`, chunk by chunk, entities refused.

    For huge reports: no element objects are made. defusedxml builds and guards the expat
    parser (its entity, external-entity and DTD handlers stay installed); only the element
    handlers are pointed straight at `target`, skipping ElementTree's per-element layer,
    which halves the time on a million-line Cobertura report.
    """
    defused = DefusedXMLParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    expat = defused.parser
    expat.ordered_attributes = False  # attributes as a dict, built in C
    expat.StartElementHandler = target.start
    expat.EndElementHandler = target.end
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                expat.Parse(chunk, False)
        expat.Parse(b"", True)
    except DefusedXmlException:
        raise ReportError(
            "refused: the XML declares entities (a possible entity-expansion attack)", file=name
        ) from None
    except ExpatError as exc:
        raise ReportError(f"malformed or truncated XML: {exc}", file=name) from None
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", file=name) from None


_CHUNK = 1 << 20


def local(tag: str) -> str:
    """`tag` without its `{namespace}`."""
    return tag.rpartition("}")[2]


# ---------------------------------------------------------------------- recognising formats


def _first_char(path: Path, name: str) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", file=name) from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise ReportError("empty file: expected a report", file=name)
    return chr(text[0])


def load_json(path: Path, name: str) -> object:
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ReportError(
                f"too large for a JSON report ({size // 2**20} MiB; limit {MAX_JSON_BYTES // 2**20} MiB)",
                file=name,
            )
        with path.open("rb") as fh:
            return json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportError(f"malformed or truncated JSON: {exc}", file=name) from None
    except RecursionError:
        raise ReportError("malformed JSON: nested too deeply", file=name) from None
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", file=name) from None


def _xml_kind(path: Path, name: str) -> Kind:
    for _event, element in iter_xml(path, name):
        tag = local(element.tag)
        if tag == "coverage":
            return "cobertura"
        if tag in ("testsuites", "testsuite"):
            return "junit"
        raise ReportError(f"XML with root <{tag}> is not a report conveyor reads", file=name)
    raise ReportError("empty XML document", file=name)  # pragma: no cover - parser raises first


def json_kind(data: object, name: str) -> Kind:
    if isinstance(data, list) and all(
        isinstance(d, dict) and "code" in d and "filename" in d for d in data
    ):
        return "ruff"
    if isinstance(data, dict):
        if "runs" in data and ("sarif" in str(data.get("$schema", "")) or "version" in data):
            return "sarif"
        if "benchmarks" in data:
            return "pytest-benchmark"
        if "dependencies" in data:
            return "pip-audit"
        if "results" in data and ("metrics" in data or "errors" in data):
            return "bandit"
    raise ReportError(
        "JSON that is not a report conveyor reads (expected SARIF, bandit, pip-audit, "
        "pytest-benchmark or ruff JSON)",
        file=name,
    )


def detect(path: Path, name: str) -> tuple[Kind, object]:
    """The format of the report at `path`, from its content (never from its name).

    For JSON formats the parsed document comes back too, so it is read once; for XML
    (streamed by its parser) the second item is None.
    """
    first = _first_char(path, name)
    if first == "<":
        return _xml_kind(path, name), None
    if first in "[{":
        data = load_json(path, name)
        return json_kind(data, name), data
    raise ReportError("not a report: neither XML nor JSON", file=name)


def expect(kind: Kind, accepted: Sequence[Kind], name: str, gate: str) -> None:
    if kind not in accepted:
        wanted = ", ".join(KIND_NAMES[k] for k in accepted)
        raise ReportError(f"is {KIND_NAMES[kind]}, but the {gate} gate reads {wanted}", file=name)
