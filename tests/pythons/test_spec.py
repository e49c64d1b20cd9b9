from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from conveyor.errors import UserError
from conveyor.pythons.probe import Interpreter
from conveyor.pythons.spec import parse_requires_python, parse_spec, parse_specs


def python(
    version: str,
    *,
    implementation: str = "cpython",
    freethreaded: bool = False,
    pypy: str | None = None,
) -> Interpreter:
    return Interpreter(
        path=Path(f"/opt/py/{version}/bin/python3"),
        version=Version(version),
        implementation=implementation,
        freethreaded=freethreaded,
        prefix=Path(f"/opt/py/{version}"),
        scripts_dir=Path(f"/opt/py/{version}/bin"),
        libdir=None,
        shared=False,
        pypy_version=Version(pypy) if pypy else None,
    )


CPYTHON = [
    # spec, allow_prereleases, accepted, refused
    ("3.12", False, ["3.12.1"], ["3.11.7", "3.13.0", "3.12.0rc1"]),
    ("3.12.1", False, ["3.12.1"], ["3.12.2"]),
    ("3.13.0rc1", False, ["3.13.0rc1"], ["3.13.0"]),
    ("3.13-dev", False, ["3.13.0a1", "3.13.2"], ["3.14.0a1"]),
    ("3.13", True, ["3.13.0b1", "3.13.2"], ["3.14.0a1"]),
    ("3.x", True, ["3.13.2"], ["3.14.0a1"]),
    (">=3.10 <3.13", False, ["3.10.0", "3.12.9"], ["3.13.0"]),
]


@pytest.mark.parametrize(("text", "pre", "accepted", "refused"), CPYTHON)
def test_cpython_specs_accept_what_setup_python_accepts(
    text: str, pre: bool, accepted: list[str], refused: list[str]
) -> None:
    spec = parse_spec(text, allow_prereleases=pre)
    assert [v for v in accepted if not spec.matches(python(v))] == []
    assert [v for v in refused if spec.matches(python(v))] == []


@pytest.mark.parametrize("text", ["3.13t", "3.13.1t", "3.13t-dev"])
def test_free_threaded_specs_want_a_free_threaded_build(text: str) -> None:
    spec = parse_spec(text)
    assert spec.freethreaded
    assert spec.matches(python("3.13.1", freethreaded=True))
    assert not spec.matches(python("3.13.1"))


def test_a_plain_spec_does_not_take_a_free_threaded_build() -> None:
    assert not parse_spec("3.13").matches(python("3.13.1", freethreaded=True))


@pytest.mark.parametrize("text", ["pypy3.10", "pypy-3.10", "pypy3.10-v7.3.x", "pypy3.10-7.3"])
def test_pypy_specs_match_pypy_only(text: str) -> None:
    spec = parse_spec(text)
    assert spec.implementation == "pypy"
    assert spec.matches(python("3.10.14", implementation="pypy", pypy="7.3.17"))
    assert not spec.matches(python("3.10.14"))
    assert not spec.matches(python("3.9.19", implementation="pypy", pypy="7.3.17"))


def test_pypy_own_version_is_checked() -> None:
    spec = parse_spec("pypy3.10-7.3.16")
    assert not spec.matches(python("3.10.14", implementation="pypy", pypy="7.3.17"))


INSTALL_REQUESTS = [
    ("3.13", "3.13", "3.13"),
    ("3.12.1", "3.12.1", "3.12.1"),
    ("3.x", "3", "3"),
    ("3.12.x", "3.12", "3.12"),
    ("~3.11", ">=3.11.0,<3.12", None),
    ("3.13t", "3.13t", None),
    ("3.13.1t", "3.13.1t", "3.13.1t"),
    ("3.14-dev", "3.14", "3.14"),
    (">=3.10 <3.13", ">=3.10.0,<3.13", None),
    ("3.10 - 3.12.1", ">=3.10.0,<=3.12.1", None),
    ("pypy3.10", "pypy@3.10", "pypy3.10"),
]


@pytest.mark.parametrize(("text", "uv", "pyenv"), INSTALL_REQUESTS)
def test_install_requests_name_what_uv_and_pyenv_understand(
    text: str, uv: str, pyenv: str | None
) -> None:
    spec = parse_spec(text)
    assert (spec.install_request, spec.pyenv_request) == (uv, pyenv)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("graalpy-24.0", "GraalPy"),
        ("3.12, 3.11", "one per line"),
        ("latest", "not a Python version"),
        ("pypy", "which Python version of PyPy"),
        ("pypy3", "must be written `x.y`"),
        ("pypy3.10-nightly", "nightly"),
        ("  ", "empty"),
    ],
)
def test_specs_setup_python_refuses_are_user_errors_that_say_what_to_write(
    text: str, words: str
) -> None:
    with pytest.raises(UserError) as caught:
        parse_spec(text)
    assert words in str(caught.value)
    assert caught.value.hint


def test_a_multi_line_input_keeps_its_order_and_skips_blank_lines() -> None:
    specs = parse_specs("3.11\n\n  3.12  \npypy3.10\n")
    assert [s.text for s in specs] == ["3.11", "3.12", "pypy3.10"]


def test_requires_python_is_read_as_pep_440() -> None:
    spec = parse_requires_python("~=3.10")
    assert spec.matches(python("3.12.1"))
    assert not spec.matches(python("3.9.18"))
    assert not spec.matches(python("3.13.0rc1"))
    assert spec.install_request == "~=3.10"
    with pytest.raises(UserError, match="PEP 440"):
        parse_requires_python(">= three")
