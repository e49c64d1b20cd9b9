from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from conveyor.errors import UserError
from conveyor.pythons.discover import SearchRoots
from conveyor.pythons.provision import (
    Finder,
    PythonNotFoundError,
    choose,
    find_python,
    setup_python,
    version_output,
)
from conveyor.pythons.runner import CommandResult, FakeRunner
from conveyor.pythons.spec import parse_spec, parse_specs

MakePython = Callable[..., Path]


@pytest.fixture
def machine(tmp_path: Path, make_python: MakePython) -> SearchRoots:
    """pyenv with 3.10.13, 3.12.0 and 3.12.1; /usr/bin with 3.11.2 and a 3.12.1 of its own."""
    for version in ("3.10.13", "3.12.0", "3.12.1"):
        make_python(tmp_path / f"pyenv/versions/{version}/bin/python3", version)
    make_python(tmp_path / "usr/bin/python3", "3.11.2", prefix=tmp_path / "usr")
    make_python(tmp_path / "usr/bin/python3.12", "3.12.1", prefix=tmp_path / "usr")
    (tmp_path / "uvbin").mkdir()
    return SearchRoots(path=str(tmp_path / "usr/bin"), pyenv_root=tmp_path / "pyenv")


def with_uv(roots: SearchRoots, tmp_path: Path) -> SearchRoots:
    uv = tmp_path / "uvbin/uv"
    uv.write_text("#!/bin/sh\nexit 99\n", encoding="utf-8")
    uv.chmod(0o755)
    return SearchRoots(
        path=f"{roots.path}:{uv.parent}", pyenv_root=roots.pyenv_root, uv_python_dir=tmp_path / "uv"
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("3.12", "pyenv/versions/3.12.1/bin/python3"),
        ("3.12.0", "pyenv/versions/3.12.0/bin/python3"),
        ("3.x", "pyenv/versions/3.12.1/bin/python3"),
        (">=3.10 <3.12", "usr/bin/python3"),
        ("~3.10", "pyenv/versions/3.10.13/bin/python3"),
    ],
)
def test_the_highest_accepted_version_wins_and_search_order_breaks_ties(
    tmp_path: Path, machine: SearchRoots, spec: str, expected: str
) -> None:
    chosen = choose(parse_spec(spec), Finder(roots=machine).interpreters())
    assert chosen is not None
    assert chosen.path == tmp_path / expected


def test_a_missing_version_names_it_what_was_found_and_the_commands(
    tmp_path: Path, machine: SearchRoots
) -> None:
    with pytest.raises(PythonNotFoundError) as caught:
        find_python(parse_spec("3.13"), Finder(roots=machine))
    error = caught.value
    assert isinstance(error, UserError)
    assert error.message == (
        "Python 3.13 is not installed on this machine (found: "
        f"3.12.1 at {tmp_path}/pyenv/versions/3.12.1/bin/python3, "
        f"3.12.1 at {tmp_path}/usr/bin/python3.12, "
        f"3.12.0 at {tmp_path}/pyenv/versions/3.12.0/bin/python3, "
        f"3.11.2 at {tmp_path}/usr/bin/python3, "
        f"3.10.13 at {tmp_path}/pyenv/versions/3.10.13/bin/python3)"
    )
    assert error.hint == (
        "install it with `uv python install 3.13` or `pyenv install 3.13`, "
        "or remove 3.13 from the workflow's python-version (or its matrix)"
    )
    assert [i.label for i in error.found] == ["3.10.13", "3.12.0", "3.12.1", "3.11.2", "3.12.1"]


def test_a_missing_range_quotes_the_uv_request_and_offers_no_pyenv_command(
    machine: SearchRoots,
) -> None:
    with pytest.raises(PythonNotFoundError) as caught:
        find_python(parse_spec(">=3.13"), Finder(roots=machine))
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("install it with `uv python install '>=3.13.0'`, or remove")


def test_an_empty_machine_says_no_python_was_found(tmp_path: Path) -> None:
    with pytest.raises(PythonNotFoundError, match=r"\(found no Python at all\)"):
        find_python(parse_spec("3.12"), Finder(roots=SearchRoots(path=str(tmp_path))))


def test_a_prerelease_needs_allow_prereleases_or_dev(
    tmp_path: Path, make_python: MakePython
) -> None:
    make_python(tmp_path / "pyenv/versions/3.14.0rc1/bin/python3", "3.14.0rc1")
    finder = Finder(roots=SearchRoots(pyenv_root=tmp_path / "pyenv"))
    with pytest.raises(PythonNotFoundError):
        find_python(parse_spec("3.14"), finder)
    for spec in (parse_spec("3.14", allow_prereleases=True), parse_spec("3.14-dev")):
        assert version_output(find_python(spec, finder).interpreter) == "3.14.0-rc.1"


def test_uv_installs_what_is_missing_when_downloads_are_allowed(
    tmp_path: Path, machine: SearchRoots, make_python: MakePython
) -> None:
    roots = with_uv(machine, tmp_path)
    installed = tmp_path / "uv/cpython-3.13.1-linux-x86_64-gnu/bin/python3"

    def uv(argv: Sequence[str]) -> CommandResult:
        if argv[1:3] == ["python", "install"]:
            make_python(installed, "3.13.1")
        return CommandResult(returncode=0, stdout="[]")

    runner = FakeRunner({"uv": uv})
    got = find_python(parse_spec("3.13"), Finder(roots=roots, runner=runner, allow_downloads=True))
    assert got.installed
    assert got.interpreter.path == installed
    assert (str(tmp_path / "uvbin/uv"), "python", "install", "3.13") in runner.calls


def test_without_downloads_uv_is_not_run_and_the_message_says_why(
    tmp_path: Path, machine: SearchRoots
) -> None:
    runner = FakeRunner({"uv": lambda argv: CommandResult(returncode=0, stdout="[]")})
    finder = Finder(roots=with_uv(machine, tmp_path), runner=runner, allow_downloads=False)
    with pytest.raises(PythonNotFoundError, match="downloads are turned off"):
        find_python(parse_spec("3.13"), finder)
    assert not [call for call in runner.calls if "install" in call]


def test_a_failed_uv_install_shows_uvs_last_words(tmp_path: Path, machine: SearchRoots) -> None:
    def uv(argv: Sequence[str]) -> CommandResult:
        if "install" in argv:
            return CommandResult(
                returncode=2, stderr="resolving\nerror: No download found for request: cpython-3.99"
            )
        return CommandResult(returncode=0, stdout="[]")

    finder = Finder(
        roots=with_uv(machine, tmp_path), runner=FakeRunner({"uv": uv}), allow_downloads=True
    )
    with pytest.raises(PythonNotFoundError) as caught:
        find_python(parse_spec("3.99"), finder)
    assert caught.value.message.endswith(
        "; `uv python install 3.99` failed: error: No download found for request: cpython-3.99"
    )


def test_an_install_that_brings_nothing_matching_is_reported(
    tmp_path: Path, machine: SearchRoots
) -> None:
    runner = FakeRunner({"uv": lambda argv: CommandResult(returncode=0, stdout="[]")})
    finder = Finder(roots=with_uv(machine, tmp_path), runner=runner, allow_downloads=True)
    with pytest.raises(PythonNotFoundError, match="did not provide a matching interpreter"):
        find_python(parse_spec("3.13"), finder)


def test_a_list_sets_up_every_version_and_the_last_is_the_default(
    tmp_path: Path, machine: SearchRoots
) -> None:
    result = setup_python(
        parse_specs("3.12\n3.10"),
        Finder(roots=machine),
        environ={"PATH": "/bin"},
        shim_root=tmp_path / "shims",
    )
    assert [f.interpreter.version.public for f in result.found] == ["3.12.1", "3.10.13"]
    assert result.outputs() == {
        "python-version": "3.10.13",
        "python-path": str(tmp_path / "pyenv/versions/3.10.13/bin/python3"),
    }
    assert result.python_root == tmp_path / "pyenv/versions/3.10.13"
    assert result.bin_dir == tmp_path / "pyenv/versions/3.10.13/bin"
    path = result.activation.apply({"PATH": "/bin"})["PATH"].split(":")
    assert path.index(str(tmp_path / "pyenv/versions/3.10.13/bin")) < path.index(
        str(tmp_path / "pyenv/versions/3.12.1/bin")
    )


def test_no_spec_uses_the_python_on_path_and_changes_nothing(
    tmp_path: Path, machine: SearchRoots
) -> None:
    result = setup_python((), Finder(roots=machine), environ={}, shim_root=tmp_path / "shims")
    assert result.path == tmp_path / "usr/bin/python3"
    assert result.outputs() == {}
    assert result.activation.apply({"PATH": "/bin"}) == {"PATH": "/bin"}


def test_no_spec_and_no_python_on_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no Python on PATH"):
        setup_python(
            (), Finder(roots=SearchRoots(path=str(tmp_path))), environ={}, shim_root=tmp_path
        )


@pytest.mark.parametrize(
    ("version", "info", "expected"),
    [
        ("3.12.1", {}, "3.12.1"),
        ("3.13.0rc2", {}, "3.13.0-rc.2"),
        ("3.13.1", {"freethreaded": True}, "3.13.1t"),
        ("3.10.14", {"implementation": "pypy", "pypy": "7.3.17"}, "pypy7.3.17"),
    ],
)
def test_the_python_version_output_reads_like_setup_pythons(
    tmp_path: Path, make_python: MakePython, version: str, info: dict[str, object], expected: str
) -> None:
    make_python(tmp_path / "bin/python3", version, **info)
    (interpreter,) = Finder(roots=SearchRoots(path=str(tmp_path / "bin"))).interpreters()
    assert version_output(interpreter) == expected


def test_the_running_python_satisfies_its_own_version(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/python3").symlink_to(sys.executable)
    info = sys.version_info
    spec = parse_spec(f"{info.major}.{info.minor}")
    got = find_python(spec, Finder(roots=SearchRoots(path=str(tmp_path / "bin"))))
    assert got.interpreter.path == tmp_path / "bin/python3"
    assert version_output(got.interpreter) == f"{info.major}.{info.minor}.{info.micro}"


def test_a_list_discovers_once(
    tmp_path: Path, machine: SearchRoots, probe_log: Callable[[], list[str]]
) -> None:
    setup_python(
        parse_specs("3.10\n3.11\n3.12"), Finder(roots=machine), environ={}, shim_root=tmp_path / "s"
    )
    assert len(probe_log()) == 5


def test_a_missing_free_threaded_build_says_which_versions_have_one(machine: SearchRoots) -> None:
    with pytest.raises(PythonNotFoundError) as caught:
        find_python(parse_spec("3.12t"), Finder(roots=machine))
    assert caught.value.message.startswith("Python 3.12t is not installed")
    assert str(caught.value).endswith("free-threaded builds exist for Python 3.13 and later")


def test_a_long_list_of_found_interpreters_is_cut_short(
    tmp_path: Path, make_python: MakePython
) -> None:
    for minor in range(6, 14):
        make_python(tmp_path / f"pyenv/versions/3.{minor}.0/bin/python3", f"3.{minor}.0")
    with pytest.raises(PythonNotFoundError) as caught:
        find_python(parse_spec("3.14"), Finder(roots=SearchRoots(pyenv_root=tmp_path / "pyenv")))
    assert "(found: 3.13.0 at " in caught.value.message
    assert caught.value.message.endswith("3.8.0/bin/python3, and 2 more)")


def test_an_unquoted_yaml_3_10_gets_a_hint_about_quoting(machine: SearchRoots) -> None:
    with pytest.raises(PythonNotFoundError) as caught:
        find_python(parse_spec("3.1"), Finder(roots=machine))
    assert "quote it (`'3.10'`)" in str(caught.value)
