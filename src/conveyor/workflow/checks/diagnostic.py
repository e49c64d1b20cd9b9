"""The one record every check returns, and the table of rule ids.

A rule id is short and stable: users filter and silence by it, and docs/compatibility.md
lists each with the same one-line description as `RULES` here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from conveyor.workflow.yaml import Position

Severity: TypeAlias = Literal["error", "warning"]

RULES: dict[str, str] = {
    "yaml-syntax": "the file is not valid YAML (or not UTF-8, or holds several documents)",
    "unknown-key": "a key GitHub does not know at that place; suggests the closest one",
    "missing-key": "a required key is absent (`on`, `jobs`, `runs-on`, `steps`, `cron`, …)",
    "type": "a value of the wrong type (a list where a mapping is expected, …)",
    "expression": "a `${{ }}` expression or `if:` condition that does not parse",
    "unknown-context": "an expression names a context that does not exist",
    "unknown-property": "a property of a known shape that does not exist (`steps.<id>`, "
    "`needs.<job>`, `matrix.<key>`, `inputs.<name>`, `github.<x>`, …): a warning, as GitHub "
    "reads it as null",
    "unknown-function": "an expression calls a function that does not exist",
    "function-args": "an expression calls a function with the wrong number of arguments",
    "context-availability": "a context or function used where GitHub does not provide it",
    "needs": "`needs` names a job that does not exist",
    "needs-cycle": "jobs that need each other in a cycle; the message names the cycle",
    "duplicate-id": "two jobs, steps, inputs (or any keys of one mapping) with the same id",
    "invalid-id": "a job or step id with characters GitHub refuses",
    "step-uses-run": "a step with both or neither of `uses` and `run`",
    "shell": "an unknown `shell` (and not a custom template containing `{0}`)",
    "activity-type": "an event `types` entry GitHub does not send for that event",
    "cron": "a `schedule` cron that is not GitHub's 5-field form",
    "glob": "a filter pattern that cannot match (empty, unbalanced `[`)",
    "filter-conflict": "`branches` with `branches-ignore` (or tags, paths) on one event",
    "matrix": "a matrix `exclude` or `include` at odds with the matrix's keys",
    "input": "an input declaration GitHub refuses (unknown type, choice default not an option, …)",
    "uses": "a `uses` that is not `./PATH`, `OWNER/REPO[/PATH]@REF` or `docker://IMAGE`",
    "local-path": "a local action or reusable workflow (`uses: ./…`) that does not exist",
    "action-inputs": "a required input of a local action or workflow, or of a remote action whose copy is in the action cache, not passed; an unknown one (a warning)",
    "permissions": "an unknown `permissions` scope or access level",
    "runner-label": "a `runs-on` label neither GitHub-hosted nor configured (warning)",
    "if-always-true": "an `if:` with text outside `${{ }}`, which is always true (warning)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One finding: where, which rule, what, and how to fix it when there is a fix to suggest."""

    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity = "error"
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_json(self) -> dict[str, str | int | None]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
            "hint": self.hint,
        }


def at(
    pos: Position,
    rule: str,
    message: str,
    *,
    hint: str | None = None,
    severity: Severity = "error",
) -> Diagnostic:
    """A diagnostic at `pos`."""
    return Diagnostic(
        file=pos.file,
        line=pos.line,
        column=pos.column,
        rule=rule,
        message=message,
        severity=severity,
        hint=hint,
    )


def did_you_mean(word: str, choices: Iterable[object]) -> str | None:
    """A "did you mean" hint from the closest of `choices`, or None."""
    import difflib

    names = [str(c) for c in choices]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean `{close[0]}`?" if close else None
