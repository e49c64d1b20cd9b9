"""Workflow commands in step output, parsed as GitHub's runner parses them."""

from __future__ import annotations

import pytest

from conveyor.run.commands import (
    AddPath,
    Annotation,
    CommandProcessor,
    Debug,
    EndGroup,
    Group,
    Mask,
    SaveState,
    SetEnv,
    SetOutput,
    parse_raw,
)


def feed(*lines: str, allow_unsecure: bool = False) -> list[tuple[tuple[object, ...], bool]]:
    processor = CommandProcessor(allow_unsecure=allow_unsecure)
    return [(p.commands, p.show) for p in map(processor.feed, lines)]


def test_error_with_every_property_and_escapes() -> None:
    line = "::error file=src/app.py,line=3,col=5,endLine=4,endColumn=9,title=Bad%3A a%2C b::first%0Asecond 100%25"
    [(commands, show)] = feed(line)
    assert commands == (
        Annotation(
            level="error",
            message="first\nsecond 100%",
            file="src/app.py",
            line=3,
            col=5,
            end_line=4,
            end_column=9,
            title="Bad: a, b",
        ),
    )
    assert not show


@pytest.mark.parametrize("level", ["warning", "notice"])
def test_warning_and_notice(level: str) -> None:
    [(commands, _)] = feed(f"  ::{level}::careful")
    assert commands == (Annotation(level=level, message="careful"),)  # type: ignore[arg-type]


def test_simple_commands() -> None:
    result = feed("::add-mask::s3cr3t", "::debug::d", "::group::Build", "::endgroup::")
    assert [c for c, _ in result] == [
        (Mask(value="s3cr3t"),),
        (Debug(message="d"),),
        (Group(title="Build"),),
        (EndGroup(),),
    ]


@pytest.mark.parametrize("line", ["plain text", ":: not a command", "::nope::x", "::error no end"])
def test_plain_text_is_shown(line: str) -> None:
    assert feed(line) == [((), True)]


def test_stop_commands_until_the_token() -> None:
    result = feed(
        "::stop-commands::pause-123",
        "::error::not an error",
        "::add-mask::not a mask",
        "::pause-123::",
        "::warning::now it counts",
    )
    assert result[1] == ((), True)
    assert result[2] == ((), True)
    assert result[3] == ((), False)
    assert result[4][0] == (Annotation(level="warning", message="now it counts"),)


def test_stop_commands_refuses_a_command_name_as_token() -> None:
    [(commands, show), after] = feed("::stop-commands::error", "::error::still works")
    assert isinstance(commands[0], Annotation)
    assert commands[0].level == "error"
    assert show
    assert after[0] == (Annotation(level="error", message="still works"),)


def test_echo_shows_commands_while_on() -> None:
    result = feed("::echo::on", "::debug::a", "::echo::off", "::debug::b")
    assert [show for _, show in result[1::2]] == [True, False]


def test_set_output_and_save_state_work_with_a_deprecation_warning() -> None:
    [(out, _), (state, _)] = feed("::set-output name=x::1", "::save-state name=s::2")
    assert out[0] == SetOutput(name="x", value="1")
    assert isinstance(out[1], Annotation)
    assert out[1].level == "warning"
    assert "set-output" in out[1].message
    assert state[0] == SaveState(name="s", value="2")
    assert "save-state" in state[1].message  # type: ignore[union-attr]


def test_set_env_and_add_path_are_disabled_like_on_github() -> None:
    for line, name in (("::set-env name=A::b", "set-env"), ("::add-path::/opt/bin", "add-path")):
        [(commands, show)] = feed(line)
        assert len(commands) == 1
        annotation = commands[0]
        assert isinstance(annotation, Annotation)
        assert annotation.level == "error"
        assert f"`{name}` command is disabled" in annotation.message
        assert show


def test_set_env_and_add_path_when_unsecure_commands_are_allowed() -> None:
    result = feed("::set-env name=A::b", "::add-path::/opt/bin", allow_unsecure=True)
    assert [c for c, _ in result] == [(SetEnv(name="A", value="b"),), (AddPath(path="/opt/bin"),)]


def test_raw_properties_without_value_are_dropped() -> None:
    raw = parse_raw("::error file=,line=2,=x::m")
    assert raw is not None
    assert raw.properties == (("line", "2"),)
    assert raw.data == "m"
