"""`conveyor expr 'EXPR' [--context FILE.json]`: evaluate one expression, print it as JSON.

The expression may be written with or without `${{ }}`; text around a `${{ }}` makes the
result an interpolated string, as in a workflow. hashFiles() looks in the current directory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from conveyor.errors import ExpressionError, UsageError
from conveyor.expr import EvalEnv, evaluate_template, find_templates
from conveyor.expr import evaluate as evaluate_bare


class PointedExpressionError(ExpressionError):
    """An ExpressionError shown with its expression and a caret under the column."""

    def __str__(self) -> str:
        text = super().__str__()
        expression, column = self.expression, self.column
        if not column or not expression.isprintable() or len(expression) > 200:
            return text
        return f"{text}\n  {expression}\n  {' ' * (column - 1)}^"


def load_contexts(path: Path) -> dict[str, Any]:
    """The contexts in a JSON file: an object whose keys are context names."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the context file: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{path}: the context file is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(
            f"{path}: the context file must hold a JSON object of contexts",
            hint='for example {"github": {"ref": "refs/heads/main"}, "matrix": {"python": "3.12"}}',
        )
    return data


def render(value: Any) -> str:
    """The value as JSON (NaN and Infinity keep GitHub's names)."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=True)


def evaluate_text(text: str, contexts: dict[str, Any], env: EvalEnv) -> Any:
    """A bare expression, or text with `${{ }}` in it."""
    if find_templates(text):
        return evaluate_template(text, contexts, env=env)
    return evaluate_bare(text, contexts, env=env)


@click.command(name="expr")
@click.argument("expression")
@click.option(
    "--context",
    "context_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help='JSON file with the contexts, e.g. {"github": {…}, "env": {…}}.',
)
def command(expression: str, context_file: Path | None) -> None:
    """Evaluate a ${{ }} expression and print its value as JSON.

    EXPRESSION may be bare (github.ref == 'refs/heads/main') or wrapped in ${{ }}.
    """
    contexts = load_contexts(context_file) if context_file else {}
    try:
        value = evaluate_text(expression, contexts, EvalEnv(workspace=Path.cwd()))
    except ExpressionError as exc:
        raise PointedExpressionError(
            exc.message, expression=exc.expression, column=exc.column
        ) from None
    click.echo(render(value))
