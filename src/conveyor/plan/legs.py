"""A job's matrix legs, expanded when the job becomes ready.

A matrix may be written out, computed from the event (`${{ fromJSON(inputs.versions) }}`)
or from a needed job's outputs (`${{ fromJSON(needs.setup.outputs.matrix) }}`), so legs
are expanded with the contexts of the moment: at plan time for `--dry-run` (when no
`needs` are referenced), and by the runner when the job's needs are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conveyor.errors import ExpressionError, WorkflowError
from conveyor.plan.matrix import MatrixLeg
from conveyor.plan.matrix import expand_legs as expand_matrix_legs
from conveyor.workflow.model import Job, Matrix, Raw


@dataclass(frozen=True, slots=True, kw_only=True)
class Leg:
    index: int
    total: int
    matrix: dict[str, Any] | None
    name: str


def plain(value: Raw) -> Any:
    """Model values (tuples, mappings) as the expression language sees them (lists, dicts)."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def _evaluate(value: Any, contexts: Mapping[str, Any], what: str, job: Job) -> Any:
    from conveyor.expr import evaluate_template

    if isinstance(value, str) and "${{" in value:
        try:
            return evaluate_template(value, contexts)
        except ExpressionError as exc:
            raise _error(job, f"{what}: {exc}") from None
    return plain(value)


def _error(job: Job, message: str) -> WorkflowError:
    pos = job.positions.get("strategy") or job.pos
    return WorkflowError(
        f"job `{job.id}`: {message}",
        file=pos.file if pos else "",
        line=pos.line if pos else 0,
        column=pos.column if pos else 0,
        rule="matrix",
    )


def _combos(matrix: Matrix, contexts: Mapping[str, Any], job: Job) -> list[MatrixLeg]:
    if matrix.expression is not None:
        value = _evaluate(matrix.expression, contexts, "matrix", job)
        if not isinstance(value, dict):
            raise _error(job, f"`matrix` must evaluate to an object, got {type(value).__name__}")
        axes = {k: v for k, v in value.items() if k not in ("include", "exclude")}
        include = value.get("include") or []
        exclude = value.get("exclude") or []
    else:
        axes = {
            key: _evaluate(values, contexts, f"matrix.{key}", job)
            for key, values in matrix.axes.items()
        }
        include = _evaluate(matrix.include, contexts, "matrix.include", job) or []
        exclude = _evaluate(matrix.exclude, contexts, "matrix.exclude", job) or []
    for key, values in axes.items():
        if not isinstance(values, list):
            raise _error(job, f"matrix axis `{key}` must be a list, got {values!r}")
    if not isinstance(include, list) or not all(isinstance(i, dict) for i in include):
        raise _error(job, "`matrix.include` must be a list of objects")
    if not isinstance(exclude, list) or not all(isinstance(e, dict) for e in exclude):
        raise _error(job, "`matrix.exclude` must be a list of objects")
    return expand_matrix_legs(axes, include, exclude)


def expand_legs(job: Job, contexts: Mapping[str, Any]) -> list[Leg]:
    """Every leg of `job`, with GitHub's display name (`test (3.11, ubuntu-latest)`)."""
    from conveyor.expr import interpolate

    matrix = job.strategy.matrix if job.strategy else None
    if matrix is None:
        name = interpolate(job.name, contexts) if job.name else job.id
        return [Leg(index=0, total=1, matrix=None, name=name)]
    matrix_legs = _combos(matrix, contexts, job)
    if not matrix_legs:  # every combination excluded: GitHub runs the job once, no matrix
        name = interpolate(job.name, contexts) if job.name else job.id
        return [Leg(index=0, total=1, matrix=None, name=name)]
    legs = []
    for index, matrix_leg in enumerate(matrix_legs):
        combo = dict(matrix_leg.values)
        leg_contexts = {**contexts, "matrix": combo}
        if job.name and "matrix" in job.name:
            # GitHub adds no `(…)` suffix when the name already uses the matrix
            name = interpolate(job.name, leg_contexts)
        else:
            base = interpolate(job.name, leg_contexts) if job.name else job.id
            name = matrix_leg.name(base)
        legs.append(Leg(index=index, total=len(matrix_legs), matrix=combo, name=name))
    return legs


def references_needs(job: Job) -> bool:
    """Whether the job's matrix can only be known once its needs are done."""
    matrix = job.strategy.matrix if job.strategy else None
    if matrix is None:
        return False
    texts = [matrix.expression or "", str(matrix.include), str(matrix.exclude)]
    texts += [str(v) for v in matrix.axes.values()]
    return any("needs." in text for text in texts)
