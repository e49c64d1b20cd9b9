"""conveyor's exceptions, one tree.

    ConveyorError                  base; never raised itself
    ├── UserError                  a mistake the user can fix: exit 2, no traceback
    │   ├── WorkflowError          a workflow/action file is wrong (file, line, column, rule, hint)
    │   │   ├── CycleError         `needs` loop, with the cycle (plan/graph.py)
    │   │   └── UnknownJobError    `needs` names no job (plan/graph.py)
    │   ├── ExpressionError        a `${{ }}` expression is wrong (expression, column)
    │   │   └── PointedExpressionError   with a caret under the column (commands/expr.py)
    │   ├── PolicyError            a `[tool.conveyor]` table is wrong (file, key)
    │   ├── ReportError            a report file cannot be read (file)
    │   ├── UsageError             bad command-line arguments or environment
    │   ├── StepFailed             a step cannot run as written (run/step.py)
    │   ├── ActionFailed           a built-in action failed, saying why (actions/base.py)
    │   ├── PythonNotFoundError    a Python version is not installed (pythons/provision.py)
    │   └── ArtifactNotFound       no such artifact in the run (artifacts/store.py)
    ├── CheckFailed                the thing checked failed (a job, a gate): exit 1
    └── InternalError              a bug in conveyor: exit 3, with a crash report

The subclasses named with a module live beside the code that raises them.

Errors carry data, not only text, so that renderers (console, JSON, web) can show them
without parsing messages. This module imports nothing from the rest of conveyor.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class ConveyorError(Exception):
    """Base of every error conveyor raises on purpose."""

    exit_code = EXIT_INTERNAL


class UserError(ConveyorError):
    """Something the user can fix; shown as a message, never as a traceback."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class UsageError(UserError):
    """Bad command-line arguments, options or environment."""


class WorkflowError(UserError):
    """A workflow or action file that GitHub would reject, with its position."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int = 0,
        column: int = 0,
        rule: str = "syntax",
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
        self.severity = severity

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        text = f"{where}: {self.message} [{self.rule}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ExpressionError(UserError):
    """A `${{ }}` expression that cannot be parsed or evaluated.

    `column` is 1-based within `expression`.
    """

    def __init__(self, message: str, *, expression: str, column: int = 0) -> None:
        super().__init__(message)
        self.expression = expression
        self.column = column

    def __str__(self) -> str:
        if self.column:
            return f"{self.message} (column {self.column} of {self.expression!r})"
        return f"{self.message} (in {self.expression!r})"


class PolicyError(UserError):
    """A gate or deploy policy table that is wrong: names the file and the key."""

    def __init__(self, message: str, *, file: str, key: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.file = file
        self.key = key

    def __str__(self) -> str:
        where = f"{self.file}: `{self.key}`" if self.key else self.file
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ReportError(UserError):
    """A report file (coverage, JUnit, SARIF, …) that cannot be read."""

    def __init__(self, message: str, *, file: str) -> None:
        super().__init__(message)
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class CheckFailed(ConveyorError):
    """The thing checked failed: a job, a gate. Exit 1."""

    exit_code = EXIT_FAILED


class InternalError(ConveyorError):
    """A bug in conveyor. Exit 3, with a crash report."""

    exit_code = EXIT_INTERNAL
