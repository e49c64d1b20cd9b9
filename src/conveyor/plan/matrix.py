"""Matrix expansion, as GitHub's workflow parser does it (its `MatrixBuilder`).

1. The cross product of the axes, the first key varying slowest (`os × python` gives
   `(ubuntu, 3.11), (ubuntu, 3.12), (windows, 3.11), …`).
2. `exclude` drops a combination when every leaf of one exclude entry equals the value
   at the same place in it (a partial match; objects are matched leaf by leaf).
3. Each `include` entry splits into a filter (its keys that are axes) and extras (the
   other keys). The extras of every entry whose filter matches are added to a
   combination, later entries overwriting earlier extras; original axis values are never
   overwritten. An entry that matches no combination becomes a combination of its own,
   appended after the product in include order (its axis keys first, then the others).

Values compare with the `==` of GitHub's expressions: strings ignore case, and values of
different types are compared as numbers. A matrix whose every combination is excluded
yields no legs: GitHub then runs the job once, without matrix values.

Leg names follow GitHub: `build (3.11, ubuntu-latest)` lists the leaves of the
combination's original values (include extras are not shown; an include that became its
own combination shows all its values), skipping empty strings and nulls, and the whole
name is cut to 100 characters.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conveyor.errors import UserError
from conveyor.expr.values import loose_equal

MAX_LEGS = 256
"""A matrix can generate at most 256 jobs per workflow run."""
MAX_NAME_LENGTH = 100

Combo = dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixLeg:
    """One leg: its `matrix` values and the keys whose values GitHub shows in its name."""

    values: Mapping[str, Any]
    name_keys: tuple[str, ...]

    def name(self, job_display_name: str) -> str:
        return leg_name(job_display_name, self.values, self.name_keys)


def expand_matrix(
    axes: Mapping[str, Sequence[Any]],
    include: Sequence[Mapping[str, Any]],
    exclude: Sequence[Mapping[str, Any]],
) -> list[Combo]:
    """The matrix legs' values, in GitHub's order; `UserError` for a matrix GitHub rejects."""
    return [dict(leg.values) for leg in expand_legs(axes, include, exclude)]


def expand_legs(
    axes: Mapping[str, Sequence[Any]],
    include: Sequence[Mapping[str, Any]],
    exclude: Sequence[Mapping[str, Any]],
) -> list[MatrixLeg]:
    """Like `expand_matrix`, keeping which keys name each leg."""
    _check(axes, include, exclude)
    excludes = [_leaves(entry) for entry in exclude]
    filters = [(_leaves({k: v for k, v in entry.items() if k in axes}), entry) for entry in include]
    matched = [False] * len(filters)
    legs: list[MatrixLeg] = []
    names = tuple(axes)
    for combo in _product(axes):
        if any(_matches(combo, leaves) for leaves in excludes):
            continue
        extras: Combo = {}
        for index, (leaves, entry) in enumerate(filters):
            if _matches(combo, leaves):
                matched[index] = True
                extras.update({k: v for k, v in entry.items() if k not in axes})
        legs.append(MatrixLeg(values={**combo, **extras}, name_keys=names))
        _check_size(len(legs))
    for index, (_, entry) in enumerate(filters):
        if not matched[index]:
            first = {k: v for k, v in entry.items() if k in axes}
            values = {**first, **{k: v for k, v in entry.items() if k not in axes}}
            legs.append(MatrixLeg(values=values, name_keys=tuple(values)))
            _check_size(len(legs))
    return legs


def leg_name(job_display_name: str, combo: Mapping[str, Any], axes_order: Sequence[str]) -> str:
    """GitHub's default name of a matrix leg: `build (3.11, ubuntu-latest)`.

    `axes_order` are the keys to show (`MatrixLeg.name_keys`; for a product leg, the axis
    keys); a combination that lacks one of them was made from an include entry alone
    and shows every value it holds.
    """
    if axes_order and all(key in combo for key in axes_order):
        shown: list[Any] = [combo[key] for key in axes_order]
    else:
        shown = list(combo.values())
    segments = [segment for value in shown for segment in _segments(value) if segment]
    name = f"{job_display_name} ({', '.join(segments)})" if segments else job_display_name
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 3] + "..."
    return name


def render_value(value: Any) -> str:
    """A scalar as GitHub's expression data prints it (`3.1`, `true`, `1E+20`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(float(value))
    return str(value)


# ---------------------------------------------------------------- checking ---


def _check(
    axes: Mapping[str, Sequence[Any]],
    include: Sequence[Mapping[str, Any]],
    exclude: Sequence[Mapping[str, Any]],
) -> None:
    if not axes and not include:
        raise UserError("Matrix must define at least one vector", hint="give an axis or `include`")
    for key, values in axes.items():
        if len(values) == 0:
            raise UserError(f"Matrix vector `{key}` does not contain any values")
    for entry in exclude:
        if not entry:
            raise UserError("Matrix exclude filter must not be empty")
        for key in entry:
            if key not in axes:
                raise UserError(
                    f"Matrix exclude key `{key}` does not match any key within the matrix",
                    hint="matrix keys: " + ", ".join(f"`{axis}`" for axis in axes),
                )
    for entry in include:
        if not entry:
            raise UserError("Matrix include mapping does not contain any values")


def _check_size(count: int) -> None:
    if count > MAX_LEGS:
        raise UserError(
            f"the matrix expands to more than {MAX_LEGS} jobs; GitHub allows at most {MAX_LEGS}",
            hint="exclude combinations, or split the job",
        )


# ------------------------------------------------------------------ matching ---


def _product(axes: Mapping[str, Sequence[Any]]) -> Iterator[Combo]:
    if not axes:
        return
    keys = list(axes)
    for values in itertools.product(*(axes[key] for key in keys)):
        yield dict(zip(keys, values, strict=True))


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Each scalar of a filter with its path (`(("versions", "node"), 12)`)."""
    if isinstance(value, Mapping):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list | tuple):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, (*path, i))]
    return [(path, value)]


def _matches(combo: Mapping[str, Any], leaves: Sequence[tuple[tuple[Any, ...], Any]]) -> bool:
    return all(loose_equal(_lookup(combo, path), want) for path, want in leaves)


def _lookup(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if isinstance(value, Mapping) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list | tuple) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return None
    return value


# ------------------------------------------------------------------ naming ---


def _segments(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _segments(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _segments(item)
    else:
        yield render_value(value)


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    text = format(value, ".15g").upper()
    if "E" in text:
        mantissa, _, exponent = text.partition("E")
        sign = exponent[0] if exponent[0] in "+-" else "+"
        text = f"{mantissa}E{sign}{exponent.lstrip('+-').rjust(2, '0')}"
    return text
