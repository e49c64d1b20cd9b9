from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from conveyor.pythons.discover import SearchRoots, discover
from conveyor.pythons.probe import ProbeMemo
from conveyor.pythons.runner import CommandResult, FakeRunner, run_command

MakePython = Callable[..., Path]


def found(roots: SearchRoots, memo: ProbeMemo | None = None) -> list[tuple[str, str, str]]:
    interpreters = discover(roots, runner=run_command, memo=memo or ProbeMemo(None))
    return [(i.label, i.source, str(i.path)) for i in interpreters]


def test_each_layout_is_found_in_search_order(tmp_path: Path, make_python: MakePython) -> None:
    cache = make_python(tmp_path / "cache/Python/3.12.1/x64/bin/python3", "3.12.1")
    cache_flat = make_python(tmp_path / "cache/cpython-3.10.4/bin/python", "3.10.4")
    uv = make_python(tmp_path / "uv/cpython-3.13.0-linux-x86_64-gnu/bin/python3", "3.13.0")
    uv_ft = make_python(
        tmp_path / "uv/cpython-3.13.0+freethreaded-linux/bin/python3.13t",
        "3.13.0",
        freethreaded=True,
    )
    pyenv = make_python(tmp_path / "pyenv/versions/3.9.18/bin/python3", "3.9.18")
    on_path = make_python(tmp_path / "usr/bin/python3.11", "3.11.2", prefix=tmp_path / "usr")
    roots = SearchRoots(
        path=str(tmp_path / "usr/bin"),
        tool_cache=tmp_path / "cache",
        uv_python_dir=tmp_path / "uv",
        pyenv_root=tmp_path / "pyenv",
    )
    assert found(roots) == [
        ("3.10.4", "tool-cache", str(cache_flat)),
        ("3.12.1", "tool-cache", str(cache)),
        ("3.13.0t", "uv", str(uv_ft)),  # sorted by directory name: `+` before `-`
        ("3.13.0", "uv", str(uv)),
        ("3.9.18", "pyenv", str(pyenv)),
        ("3.11.2", "PATH", str(on_path)),
    ]


def test_one_executable_per_installation_python3_first(
    tmp_path: Path, make_python: MakePython
) -> None:
    bin_dir = tmp_path / "pyenv/versions/3.12.1/bin"
    for name in ("python", "python3.12", "python3"):
        make_python(bin_dir / name, "3.12.1")
    roots = SearchRoots(pyenv_root=tmp_path / "pyenv")
    assert found(roots) == [("3.12.1", "pyenv", str(bin_dir / "python3"))]


def test_path_directories_give_every_python_name_and_nothing_else(
    tmp_path: Path, make_python: MakePython
) -> None:
    bin_dir = tmp_path / "bin"
    make_python(bin_dir / "python3.12", "3.12.1", prefix=tmp_path / "a")
    make_python(bin_dir / "python3.13t", "3.13.0", prefix=tmp_path / "b", freethreaded=True)
    make_python(bin_dir / "python3-config", "3.12.1")
    make_python(bin_dir / "pythonista", "3.12.1")
    (bin_dir / "python3.10").write_text("#!/bin/sh\necho not executable\n", encoding="utf-8")
    roots = SearchRoots(
        path=os.pathsep.join([str(bin_dir), str(tmp_path / "missing"), str(bin_dir)])
    )
    assert [label for label, _, _ in found(roots)] == ["3.12.1", "3.13.0t"]


def test_the_same_interpreter_under_two_names_is_kept_once(
    tmp_path: Path, make_python: MakePython
) -> None:
    real = make_python(tmp_path / "bin/python3.12", "3.12.1")
    (tmp_path / "bin/python3").symlink_to(real)
    roots = SearchRoots(path=str(tmp_path / "bin"))
    assert [path for _, _, path in found(roots)] == [str(tmp_path / "bin/python3")]


def test_pyenv_shims_are_not_probed(tmp_path: Path, make_python: MakePython) -> None:
    make_python(tmp_path / "pyenv/shims/python3", "3.12.1")
    roots = SearchRoots(path=str(tmp_path / "pyenv/shims"), pyenv_root=tmp_path / "pyenv")
    assert found(roots) == []


def test_programs_that_are_not_python_are_left_out(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in [("python3", "exit 1"), ("python", "echo hello"), ("python2", "echo '{}'")]:
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    assert found(SearchRoots(path=str(bin_dir))) == []


def test_the_memo_spares_a_second_run_until_the_file_changes(
    tmp_path: Path, make_python: MakePython, probe_log: Callable[[], list[str]]
) -> None:
    exe = make_python(tmp_path / "bin/python3", "3.12.1")
    roots = SearchRoots(path=str(tmp_path / "bin"))
    memo_file = tmp_path / "memo/interpreters.json"
    assert found(roots, ProbeMemo(memo_file))[0][0] == "3.12.1"
    assert found(roots, ProbeMemo(memo_file))[0][0] == "3.12.1"
    assert len(probe_log()) == 1
    make_python(exe, "3.12.2")
    os.utime(exe, ns=(1, 1))
    assert found(roots, ProbeMemo(memo_file))[0][0] == "3.12.2"
    assert len(probe_log()) == 2


def test_a_corrupt_memo_is_ignored(tmp_path: Path, make_python: MakePython) -> None:
    make_python(tmp_path / "bin/python3", "3.12.1")
    memo_file = tmp_path / "interpreters.json"
    memo_file.write_text("{not json", encoding="utf-8")
    assert found(SearchRoots(path=str(tmp_path / "bin")), ProbeMemo(memo_file))[0][0] == "3.12.1"
    assert json.loads(memo_file.read_text(encoding="utf-8"))


def test_uv_list_adds_installs_the_scans_cannot_see(
    tmp_path: Path, make_python: MakePython
) -> None:
    elsewhere = make_python(tmp_path / "custom/cpython-3.13.1/bin/python3.13", "3.13.1")
    uv_bin = tmp_path / "uvbin"
    uv_bin.mkdir()
    (uv_bin / "uv").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (uv_bin / "uv").chmod(0o755)
    listing = [
        {"path": str(elsewhere), "version": "3.13.1"},
        {"path": str(tmp_path / "gone/python")},
    ]

    def uv(argv: Sequence[str]) -> CommandResult:
        assert list(argv[1:]) == ["python", "list", "--only-installed", "--output-format", "json"]
        return CommandResult(returncode=0, stdout=json.dumps(listing))

    runner = FakeRunner({"uv": uv})
    interpreters = discover(SearchRoots(path=str(uv_bin)), runner=runner, memo=ProbeMemo(None))
    assert [(i.label, i.source, i.path) for i in interpreters] == [("3.13.1", "uv", elsewhere)]


def test_environment_defaults_point_at_uv_and_pyenv_homes(tmp_path: Path) -> None:
    roots = SearchRoots.from_environ(
        {"HOME": str(tmp_path), "PATH": "/x"}, tool_cache=tmp_path / "tc"
    )
    assert roots.uv_python_dir == tmp_path / ".local/share/uv/python"
    assert roots.pyenv_root == tmp_path / ".pyenv"
    custom = SearchRoots.from_environ(
        {"UV_PYTHON_INSTALL_DIR": "/u", "PYENV_ROOT": "/p", "PATH": ""}, tool_cache=None
    )
    assert (custom.uv_python_dir, custom.pyenv_root) == (Path("/u"), Path("/p"))


def test_the_running_interpreter_is_found_and_read_correctly(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    (interpreter,) = discover(
        SearchRoots(path=str(bin_dir)), runner=run_command, memo=ProbeMemo(None)
    )
    info = sys.version_info
    assert interpreter.version.release == (info.major, info.minor, info.micro)
    assert interpreter.implementation == sys.implementation.name
    # a link outside a virtualenv runs the base interpreter: no pyvenv.cfg beside it
    assert interpreter.prefix == Path(sys.base_prefix)


def test_the_memo_forgets_interpreters_that_were_removed(
    tmp_path: Path, make_python: MakePython
) -> None:
    kept = make_python(tmp_path / "bin/python3", "3.12.1")
    removed = make_python(tmp_path / "bin/python3.11", "3.11.2", prefix=tmp_path / "other")
    memo_file = tmp_path / "interpreters.json"
    roots = SearchRoots(path=str(tmp_path / "bin"))
    found(roots, ProbeMemo(memo_file))
    removed.unlink()
    make_python(tmp_path / "bin/python3.13", "3.13.0", prefix=tmp_path / "new")
    found(roots, ProbeMemo(memo_file))
    remembered = json.loads(memo_file.read_text(encoding="utf-8"))
    assert sorted(remembered) == sorted([str(kept), str(tmp_path / "bin/python3.13")])
