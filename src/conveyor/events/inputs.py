"""`workflow_dispatch` inputs: given strings checked and typed against the declared inputs.

As GitHub does when it accepts a dispatch: unknown inputs are refused, required ones
must be given (or have a default), `boolean` takes `true`/`false`, `number` a number,
`choice` one of its options. Inputs neither given nor defaulted read as GitHub gives
them: `false` for booleans, the empty string otherwise.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

from conveyor.errors import UserError
from conveyor.workflow.model import InputSpec


def check_dispatch_inputs(
    specs: Mapping[str, InputSpec], given: Mapping[str, str]
) -> dict[str, Any]:
    """Typed input values in declaration order; `UserError` naming the input when wrong."""
    _refuse_unknown(specs, given)
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in given:
            values[name] = _coerce(spec, given[name], origin="given")
        elif spec.default is not None:
            values[name] = _coerce(spec, _as_text(spec.default), origin="default")
        elif spec.required:
            raise UserError(
                f"input `{name}` is required",
                hint=f"pass it: `--input {name}=VALUE`" + _allowed_suffix(spec),
            )
        else:
            values[name] = False if spec.type == "boolean" else ""
    return values


def _refuse_unknown(specs: Mapping[str, InputSpec], given: Mapping[str, str]) -> None:
    unknown = [name for name in given if name not in specs]
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, list(specs), n=1)
    declared = ", ".join(f"`{spec}`" for spec in specs) or "none"
    hint = f"did you mean `{close[0]}`?" if close else f"declared inputs: {declared}"
    raise UserError(f"unexpected input `{name}`: the workflow does not declare it", hint=hint)


def _coerce(spec: InputSpec, text: str, *, origin: str) -> Any:
    what = f"input `{spec.name}`" if origin == "given" else f"the default of input `{spec.name}`"
    if spec.type == "boolean":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise UserError(f"{what} must be `true` or `false`, not {text!r}")
        return lowered == "true"
    if spec.type == "number":
        return _number(text, what)
    if spec.type == "choice" and text not in spec.options:
        allowed = ", ".join(f"`{option}`" for option in spec.options)
        raise UserError(f"{what} must be one of {allowed}, not {text!r}")
    return text


def _number(text: str, what: str) -> int | float:
    try:
        value = float(text.strip())
    except ValueError:
        raise UserError(f"{what} must be a number, not {text!r}") from None
    if not math.isfinite(value):
        raise UserError(f"{what} must be a finite number, not {text!r}")
    return int(value) if value.is_integer() else value


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _allowed_suffix(spec: InputSpec) -> str:
    if spec.type == "choice":
        return " (one of " + ", ".join(f"`{option}`" for option in spec.options) + ")"
    if spec.type == "boolean":
        return " (`true` or `false`)"
    return ""
