"""`format('Hello {0}', name)` with GitHub's rules: `{{` and `}}` are literal braces, an
index names an argument (0-255), and a malformed string is an error that quotes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

_MAX_INDEX: Final = 255


class FormatError(ValueError):
    """The format string is malformed or names a missing argument."""


def _invalid(template: str) -> FormatError:
    return FormatError(f"The following format string is invalid: '{template}'")


def _placeholder(template: str, lbrace: int) -> tuple[int, int]:
    """The argument index of the `{n}` at `lbrace` and the position of its `}`."""
    end = lbrace + 1
    while end < len(template) and template[end].isdigit() and template[end].isascii():
        end += 1
    digits = template[lbrace + 1 : end]
    if not digits or end >= len(template) or template[end] != "}":
        if end < len(template) and template[end] == ":":
            raise FormatError(
                f"Format specifiers (`{{{digits}:…}}`) are not supported for expression values: '{template}'"
            )
        raise _invalid(template)
    index = int(digits)
    if index > _MAX_INDEX:
        raise _invalid(template)
    return index, end


def format_string(template: str, args: Sequence[str]) -> str:
    """Replace `{n}` with `args[n]`; `{{` / `}}` are escapes. Raises FormatError."""
    out: list[str] = []
    pos = 0
    while pos < len(template):
        lbrace = template.find("{", pos)
        rbrace = template.find("}", pos)
        if lbrace >= 0 and (rbrace < 0 or rbrace > lbrace):
            if template.startswith("{", lbrace + 1):
                out.append(template[pos : lbrace + 1])
                pos = lbrace + 2
                continue
            index, rbrace = _placeholder(template, lbrace)
            if index >= len(args):
                raise FormatError(
                    "The following format string references more arguments than were "
                    f"supplied: '{template}'"
                )
            out.append(template[pos:lbrace])
            out.append(args[index])
            pos = rbrace + 1
        elif rbrace >= 0:
            if not template.startswith("}", rbrace + 1):
                raise _invalid(template)
            out.append(template[pos : rbrace + 1])
            pos = rbrace + 2
        else:
            out.append(template[pos:])
            break
    return "".join(out)
