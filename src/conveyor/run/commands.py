"""Workflow commands in step output: `::error file=app.py,line=3::message` and the rest.

Parsing follows GitHub's runner: leading whitespace is ignored, the command name
runs to the first space, properties are `key=value` pairs split on commas, and
data and property values are unescaped (`%25` `%0D` `%0A`, and in properties also
`%3A` `%2C`). An unknown command is plain text. `set-env` and `add-path` are
disabled as on GitHub (an error annotation) unless `ACTIONS_ALLOW_UNSECURE_COMMANDS`
is true; `set-output` and `save-state` still work, with GitHub's deprecation warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Level: TypeAlias = Literal["error", "warning", "notice"]

SET_OUTPUT_DEPRECATED = (
    "The `set-output` command is deprecated and will be disabled soon. Please upgrade to "
    "using Environment Files. For more information see: "
    "https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/"
)
SAVE_STATE_DEPRECATED = SET_OUTPUT_DEPRECATED.replace("set-output", "save-state")
UNSECURE_DISABLED = (
    "The `{name}` command is disabled. Please upgrade to using Environment Files or opt "
    "into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` "
    "environment variable to `true`. For more information see: "
    "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """`::error`, `::warning`, `::notice`: shown in the log and in the run's summary."""

    level: Level
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Debug:
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Mask:
    """`::add-mask::value`: mask `value` in all later output."""

    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EndGroup:
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class SetOutput:
    name: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveState:
    name: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetEnv:
    """Only with `ACTIONS_ALLOW_UNSECURE_COMMANDS=true`."""

    name: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddPath:
    """Only with `ACTIONS_ALLOW_UNSECURE_COMMANDS=true`."""

    path: str


Command: TypeAlias = (
    Annotation | Debug | Mask | Group | EndGroup | SetOutput | SaveState | SetEnv | AddPath
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RawCommand:
    """A line that has the shape of a workflow command, before it is interpreted."""

    name: str
    properties: tuple[tuple[str, str], ...]
    data: str

    def get(self, key: str) -> str | None:
        return dict(self.properties).get(key)


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_raw(line: str) -> RawCommand | None:
    """Split `::name k=v,k2=v2::data`; None when the line is not shaped like a command."""
    text = line.lstrip()
    if not text.startswith("::"):
        return None
    end = text.find("::", 2)
    if end < 0:
        return None
    info = text[2:end]
    name, _, props = info.partition(" ")
    if not name:
        return None
    properties = []
    for item in props.strip().split(","):
        key, sep, value = item.partition("=")
        if sep and key and value:
            properties.append((key, unescape_property(value)))
    return RawCommand(name=name, properties=tuple(properties), data=unescape_data(text[end + 2 :]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Processed:
    """One line of output after the processor has read it.

    `commands` is what the line asks for (empty for plain text); `show` says whether
    the log shows the line itself: plain text always, a command only while
    `::echo::on` is in effect. Register `Mask` commands before masking the shown
    line, so an echoed `::add-mask::` never shows its value.
    """

    line: str
    commands: tuple[Command, ...]
    show: bool


_ANNOTATIONS: dict[str, Level] = {"error": "error", "warning": "warning", "notice": "notice"}
_KNOWN = frozenset(
    {
        *_ANNOTATIONS,
        "add-mask",
        "debug",
        "group",
        "endgroup",
        "echo",
        "stop-commands",
        "set-output",
        "save-state",
        "set-env",
        "add-path",
        "add-matcher",
        "remove-matcher",
    }
)


class CommandProcessor:
    """Reads a step's output line by line, keeping `stop-commands` and `echo` state."""

    def __init__(self, *, allow_unsecure: bool = False) -> None:
        self._allow_unsecure = allow_unsecure
        self._stop_token: str | None = None
        self._echo = False

    def feed(self, line: str) -> Processed:
        raw = parse_raw(line)
        if self._stop_token is not None:
            if raw is not None and raw.name == self._stop_token:
                self._stop_token = None
                return Processed(line=line, commands=(), show=self._echo)
            return Processed(line=line, commands=(), show=True)
        if raw is None or raw.name not in _KNOWN:
            return Processed(line=line, commands=(), show=True)
        commands = self._interpret(raw)
        failed = raw.name not in _ANNOTATIONS and any(
            isinstance(c, Annotation) and c.level == "error" for c in commands
        )  # a command that could not be processed is echoed, as on GitHub
        return Processed(line=line, commands=commands, show=self._echo or failed)

    def _interpret(self, raw: RawCommand) -> tuple[Command, ...]:
        name, data = raw.name, raw.data
        if name in _ANNOTATIONS:
            return (_annotation(_ANNOTATIONS[name], raw),)
        if name == "add-mask":
            return (Mask(value=data),)
        if name == "debug":
            return (Debug(message=data),)
        if name == "group":
            return (Group(title=data),)
        if name == "endgroup":
            return (EndGroup(),)
        if name == "echo":
            return self._set_echo(data)
        if name == "stop-commands":
            return self._stop(data)
        if name in ("set-output", "save-state"):
            return _deprecated(name, raw)
        if name in ("set-env", "add-path"):
            return self._unsecure(name, raw)
        return ()  # add-matcher / remove-matcher: problem matchers are not supported

    def _set_echo(self, data: str) -> tuple[Command, ...]:
        value = data.strip().lower()
        if value not in ("on", "off"):
            message = f"Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '{data}'."
            return (Annotation(level="error", message=message),)
        self._echo = value == "on"
        return ()

    def _stop(self, token: str) -> tuple[Command, ...]:
        if not token or token in _KNOWN:
            message = f"Invalid `stop-commands` token {token!r}: use a unique string that is not a workflow command (for example a random value)."
            return (Annotation(level="error", message=message),)
        self._stop_token = token
        return ()

    def _unsecure(self, name: str, raw: RawCommand) -> tuple[Command, ...]:
        if not self._allow_unsecure:
            return (Annotation(level="error", message=UNSECURE_DISABLED.format(name=name)),)
        if name == "add-path":
            return (AddPath(path=raw.data),)
        key = raw.get("name")
        if not key:
            return (Annotation(level="error", message="`set-env` needs a `name` property"),)
        return (SetEnv(name=key, value=raw.data),)


def _deprecated(name: str, raw: RawCommand) -> tuple[Command, ...]:
    key = raw.get("name")
    if not key:
        return (Annotation(level="error", message=f"`{name}` needs a `name` property"),)
    if name == "set-output":
        return (
            SetOutput(name=key, value=raw.data),
            Annotation(level="warning", message=SET_OUTPUT_DEPRECATED),
        )
    return (
        SaveState(name=key, value=raw.data),
        Annotation(level="warning", message=SAVE_STATE_DEPRECATED),
    )


def _annotation(level: Level, raw: RawCommand) -> Annotation:
    return Annotation(
        level=level,
        message=raw.data,
        file=raw.get("file"),
        line=_int(raw.get("line")),
        col=_int(raw.get("col")),
        end_line=_int(raw.get("endLine")),
        end_column=_int(raw.get("endColumn")),
        title=raw.get("title"),
    )


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None
