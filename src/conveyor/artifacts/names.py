"""Artifact names and the paths inside an artifact: what GitHub accepts, and `pattern`.

GitHub refuses (in @actions/artifact) an artifact name with any of `" : < > | * ? \\r \\n
\\ /`, and a file inside an artifact whose path has any of `" : < > | * ? \\r \\n`, so that
an artifact can be downloaded on every file system. conveyor also refuses the names `.` and
`..`, which would name a directory other than the artifact's own, a NUL character, and
names longer than 255 bytes (each artifact is a directory named after it).

`download-artifact`'s `pattern` is a minimatch glob over names with minimatch's defaults:
`*`, `?`, `[…]`, `{a,b}`, extglobs and a leading `!`; `*` does not match a leading `.`;
case matters.
"""

from __future__ import annotations

from typing import Final

from wcmatch import fnmatch

from conveyor.errors import UserError

DEFAULT_NAME: Final = "artifact"
MAX_NAME_BYTES: Final = 255  # a directory name on common file systems

_PATH_CHARACTERS: Final = {
    '"': 'double quote "',
    ":": "colon :",
    "<": "less than <",
    ">": "greater than >",
    "|": "vertical bar |",
    "*": "asterisk *",
    "?": "question mark ?",
    "\r": "carriage return \\r",
    "\n": "line feed \\n",
}
_NAME_CHARACTERS: Final = {
    **_PATH_CHARACTERS,
    "\\": "backslash \\",
    "/": "forward slash /",
}
_PATTERN_FLAGS: Final = (
    fnmatch.BRACE | fnmatch.EXTMATCH | fnmatch.NEGATE | fnmatch.NEGATEALL | fnmatch.CASE
)


def _first_invalid(text: str, characters: dict[str, str]) -> str | None:
    return next((label for char, label in characters.items() if char in text), None)


def check_name(name: str) -> str:
    """`name` if GitHub would accept it as an artifact name; `UserError` otherwise."""
    if not name:
        raise UserError(
            "the artifact name is empty",
            hint=f"give a `name`, or leave it out for {DEFAULT_NAME!r}",
        )
    bad = _first_invalid(name, _NAME_CHARACTERS)
    if bad is not None:
        listed = ", ".join(_NAME_CHARACTERS.values())
        raise UserError(
            f"the artifact name {name!r} is not valid: it contains a {bad}",
            hint=f"artifact names cannot contain: {listed}",
        )
    if len(name.encode()) > MAX_NAME_BYTES:
        raise UserError(
            f"the artifact name is too long ({len(name.encode())} bytes)",
            hint=f"artifact names are kept as directory names: at most {MAX_NAME_BYTES} bytes",
        )
    if name in {".", ".."} or "\0" in name:
        raise UserError(f"the artifact name {name!r} is not valid", hint="choose another name")
    return name


def check_file_path(path: str) -> str:
    """A path inside an artifact, if GitHub would accept it; `UserError` otherwise."""
    bad = _first_invalid(path, _PATH_CHARACTERS)
    if bad is not None:
        listed = ", ".join(_PATH_CHARACTERS.values())
        raise UserError(
            f"cannot upload {path!r}: the path contains a {bad}",
            hint=f"rename the file or leave it out with a `!` pattern; paths cannot contain: {listed}",
        )
    return path


def name_matches(name: str, pattern: str) -> bool:
    """Whether `pattern` (download-artifact's minimatch glob) selects the artifact `name`."""
    return bool(fnmatch.fnmatch(name, pattern, flags=_PATTERN_FLAGS))
