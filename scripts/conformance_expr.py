"""Compare conveyor's expression evaluator with the cases extracted from nektos/act's tests.

    python scripts/conformance_expr.py [--shared DIR]

Reads DIR/reference/act-expression-cases.json (DIR defaults to ../shared beside the
checkout), evaluates every `evaluate` and `interpolate` case, prints the agreement rate
and each disagreement, and exits 1 when under 98% of the `evaluate` cases agree.

One correction is applied to the extracted contexts and printed: act's tests build step
results in Go, where a step without an outcome or conclusion holds the zero value, which
is "success"; the extraction wrote it as "". act is a reference, GitHub's docs the truth:
the differences that remain are explained in docs/compatibility.md ("Expressions").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conveyor.errors import ExpressionError
from conveyor.expr import EvalEnv, evaluate, interpolate, parse
from conveyor.expr.hashfiles import matching_files
from conveyor.expr.nodes import FunctionCall, Literal

THRESHOLD = 0.98
CASES = Path("reference") / "act-expression-cases.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    case_id: str
    kind: str
    text: str
    agrees: bool
    detail: str


def _special(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$special"}:
            return {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}[
                value["$special"]
            ]
        return {key: _special(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_special(item) for item in value]
    return value


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(actual) == float(expected)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            _same(actual[k], expected[k]) for k in expected
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(map(_same, actual, expected))
    return type(actual) is type(expected) and actual == expected


def corrected_steps(context: Mapping[str, Any]) -> dict[str, Any]:
    """Go's zero StepStatus is "success": restore it where the extraction wrote ""."""
    fixed = dict(context)
    steps = context.get("steps")
    if isinstance(steps, dict):
        fixed["steps"] = {
            step_id: {
                key: ("success" if key in ("outcome", "conclusion") and value == "" else value)
                for key, value in result.items()
            }
            for step_id, result in steps.items()
        }
    return fixed


@contextmanager
def _workspace(files: Mapping[str, str] | None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="conveyor-conformance-") as tmp:
        root = Path(tmp)
        for name, content in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode())
        yield root


def _act_hash(workspace: Path, text: str) -> str | None:
    """act's hashFiles (SHA-256 of the contents, concatenated) over the files conveyor matched."""
    try:
        node = parse(text)
    except ExpressionError:
        return None
    if not (isinstance(node, FunctionCall) and node.name.lower() == "hashfiles"):
        return None
    patterns = [arg.value for arg in node.args if isinstance(arg, Literal)]
    files = matching_files(workspace.resolve(), patterns)
    return hashlib.sha256(b"".join((workspace / f).read_bytes() for f in files)).hexdigest()


def _evaluate(case: Mapping[str, Any], context: dict[str, Any], workspace: Path) -> Any:
    env = EvalEnv(workspace=workspace)
    if case["kind"] == "interpolate":
        return interpolate(case["input"], context, env=env)
    return evaluate(case["input"], context, env=env)


def _judge(case: Mapping[str, Any], workspace: Path, context: dict[str, Any]) -> tuple[bool, str]:
    expected = _special(case.get("expected"))
    try:
        actual = _evaluate(case, context, workspace)
    except ExpressionError as exc:
        return bool(case.get("error")), str(exc)
    if case.get("error"):
        return False, f"expected an error ({case['error']}), got {actual!r}"
    if _same(actual, expected):
        return True, ""
    detail = f"expected {expected!r}, got {actual!r}"
    if expected == _act_hash(workspace, case["input"]):
        detail += " (the same files: act hashes their contents, GitHub their SHA-256s)"
    return False, detail


def run_case(case: Mapping[str, Any]) -> Outcome:
    raw = dict(case.get("context") or {})
    files = raw.pop("$workdir_files", None)
    raw.pop("$note", None)
    context = corrected_steps(_special(raw))
    with _workspace(files) as workspace:
        agrees, detail = _judge(case, workspace, context)
    return Outcome(
        case_id=case["id"], kind=case["kind"], text=case["input"], agrees=agrees, detail=detail
    )


def run(shared: Path) -> tuple[list[Outcome], int]:
    """Every outcome, and the exit status (0 when ≥ 98% of `evaluate` cases agree)."""
    data = json.loads((shared / CASES).read_text(encoding="utf-8"))
    outcomes = [
        run_case(case) for case in data["cases"] if case["kind"] in ("evaluate", "interpolate")
    ]
    evaluated = [o for o in outcomes if o.kind == "evaluate"]
    rate = sum(o.agrees for o in evaluated) / len(evaluated)
    return outcomes, 0 if rate >= THRESHOLD else 1


def report(outcomes: list[Outcome]) -> str:
    lines = [
        'note: empty step outcome/conclusion read as "success" (Go\'s zero StepStatus)',
    ]
    for kind in ("evaluate", "interpolate"):
        group = [o for o in outcomes if o.kind == kind]
        agreed = sum(o.agrees for o in group)
        lines.append(f"{kind}: {agreed}/{len(group)} agree ({100 * agreed / len(group):.1f}%)")
    lines.extend(f"  {o.case_id}: {o.text}\n    {o.detail}" for o in outcomes if not o.agrees)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1].parent / "shared"
    parser.add_argument("--shared", type=Path, default=default, help="the shared/ directory")
    args = parser.parse_args(argv)
    if not (args.shared / CASES).is_file():
        print(f"error: {args.shared / CASES} not found", file=sys.stderr)
        return 2
    outcomes, status = run(args.shared)
    print(report(outcomes))
    return status


if __name__ == "__main__":
    sys.exit(main())
