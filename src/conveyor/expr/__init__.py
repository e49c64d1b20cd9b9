"""The `${{ }}` expression language of GitHub Actions: lexer, parser, evaluator, functions.

Pure: imports nothing of conveyor but `conveyor.errors`. Every mistake in an expression is
an `ExpressionError` carrying the expression and a 1-based column; no input string makes
these functions raise anything else.

Values are Python None / bool / int / float / str / list / dict. Numbers behave as
doubles (an integral result comes back as an int); arrays and objects compare by
reference; string comparison and property lookup ignore case; a missing property is null.

Evaluating
    parse(text) -> Node                  a bare expression (no `${{ }}`)
    evaluate(expr, contexts, *, env)     the value of a bare expression or a parsed Node
    EvalEnv(workspace=, status=)         what the runner supplies: the workspace for
                                         hashFiles, the status the status functions see
    truthy(value), to_string(value)      GitHub's falsy values; GitHub's string conversion

Templates
    find_templates(text) -> [TemplateSpan(start, end, expression)]
    interpolate(text, contexts, *, env)        every `${{ }}` replaced by its string
    evaluate_template(text, contexts, *, env)  the value itself when text is one `${{ }}`
    evaluate_if(condition, contexts, *, env)   `if:` with or without `${{ }}`, implicitly
                                               `success() && (…)`

Static analysis (for the validator)
    references(node) -> [Reference(context, path, column)]
    function_calls(node) -> [Call(name, argc, column)]
    FUNCTIONS: {lower-cased name: FunctionSpec(name, min_args, max_args, status_check)}
    KNOWN_CONTEXTS: the context names GitHub documents
"""

from __future__ import annotations

from conveyor.expr.analysis import Call, Reference, function_calls, references
from conveyor.expr.evaluator import KNOWN_CONTEXTS, evaluate
from conveyor.expr.functions import FUNCTIONS, EvalEnv, FunctionSpec
from conveyor.expr.nodes import Node
from conveyor.expr.parser import MAX_DEPTH, parse
from conveyor.expr.templates import (
    TemplateSpan,
    calls_status_function,
    evaluate_if,
    evaluate_template,
    find_templates,
    interpolate,
    to_string,
)
from conveyor.expr.values import truthy

__all__ = [
    "FUNCTIONS",
    "KNOWN_CONTEXTS",
    "MAX_DEPTH",
    "Call",
    "EvalEnv",
    "FunctionSpec",
    "Node",
    "Reference",
    "TemplateSpan",
    "calls_status_function",
    "evaluate",
    "evaluate_if",
    "evaluate_template",
    "find_templates",
    "function_calls",
    "interpolate",
    "parse",
    "references",
    "to_string",
    "truthy",
]
