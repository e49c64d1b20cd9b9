from __future__ import annotations

from conveyor.expr import Call, Reference, function_calls, parse, references


def test_references_follow_the_static_path() -> None:
    node = parse("steps.Build.outputs['SHA'] == needs.*.result && github.event.commits[0].id")
    assert references(node) == [
        Reference(context="steps", path=("build", "outputs", "sha"), column=1),
        Reference(context="needs", path=("*", "result"), column=31),
        Reference(context="github", path=("event", "commits"), column=49),
    ]


def test_references_stop_at_a_dynamic_index_and_look_inside_it() -> None:
    node = parse("steps[format('{0}-x', matrix.os)].outputs.sha")
    assert references(node) == [
        Reference(context="steps", path=(), column=1),
        Reference(context="matrix", path=("os",), column=23),
    ]


def test_references_inside_calls_and_after_call_results() -> None:
    node = parse("fromJSON(inputs.config).jobs[*].name || !env.CI")
    assert references(node) == [
        Reference(context="inputs", path=("config",), column=10),
        Reference(context="env", path=("ci",), column=42),
    ]


def test_a_bare_context_is_a_reference_with_an_empty_path() -> None:
    assert references(parse("toJSON(GitHub)")) == [Reference(context="github", path=(), column=8)]


def test_function_calls_keep_the_name_as_written() -> None:
    node = parse("contains(toJson(github), 'x') && nope(1, 2, 3) || success()")
    assert function_calls(node) == [
        Call(name="contains", argc=2, column=1),
        Call(name="toJson", argc=1, column=10),
        Call(name="nope", argc=3, column=34),
        Call(name="success", argc=0, column=51),
    ]


def test_literals_have_no_references_or_calls() -> None:
    node = parse("'github.ref' == 1")
    assert references(node) == []
    assert function_calls(node) == []
