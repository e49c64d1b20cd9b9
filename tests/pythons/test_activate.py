from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conveyor.pythons.activate import activation_for, write_shims
from conveyor.pythons.discover import SearchRoots
from conveyor.pythons.probe import Interpreter
from conveyor.pythons.provision import Finder

MakePython = Callable[..., Path]


def only(roots: SearchRoots) -> Interpreter:
    (interpreter,) = Finder(roots=roots).interpreters()
    return interpreter


def test_setup_python_variables_point_at_the_installation(
    tmp_path: Path, make_python: MakePython
) -> None:
    make_python(tmp_path / "pyenv/versions/3.12.1/bin/python3", "3.12.1")
    interpreter = only(SearchRoots(pyenv_root=tmp_path / "pyenv"))
    root = str(tmp_path / "pyenv/versions/3.12.1")
    env = activation_for((interpreter,), environ={}, shim_root=tmp_path / "shims").apply(
        {"PATH": "/usr/bin"}
    )
    assert {
        k: env[k]
        for k in ("pythonLocation", "Python_ROOT_DIR", "Python2_ROOT_DIR", "Python3_ROOT_DIR")
    } == {
        "pythonLocation": root,
        "Python_ROOT_DIR": root,
        "Python2_ROOT_DIR": root,
        "Python3_ROOT_DIR": root,
    }
    assert env["PKG_CONFIG_PATH"] == f"{root}/lib/pkgconfig"
    assert "LD_LIBRARY_PATH" not in env
    shims, bin_dir, rest = env["PATH"].split(":", 2)
    assert Path(shims).parent == tmp_path / "shims"
    assert (bin_dir, rest) == (f"{root}/bin", "/usr/bin")


def test_a_shared_build_on_linux_prepends_its_lib_dir(
    tmp_path: Path, make_python: MakePython
) -> None:
    make_python(tmp_path / "tc/Python/3.12.1/x64/bin/python3", "3.12.1", shared=True)
    interpreter = only(SearchRoots(tool_cache=tmp_path / "tc"))
    lib = str(tmp_path / "tc/Python/3.12.1/x64/lib")
    environ = {"LD_LIBRARY_PATH": "/opt/lib"}
    linux = activation_for((interpreter,), environ=environ, shim_root=tmp_path, platform="linux")
    assert dict(linux.variables)["LD_LIBRARY_PATH"] == f"{lib}:/opt/lib"
    again = activation_for(
        (interpreter,), environ={"LD_LIBRARY_PATH": lib}, shim_root=tmp_path, platform="linux"
    )
    assert "LD_LIBRARY_PATH" not in dict(again.variables)
    mac = activation_for((interpreter,), environ=environ, shim_root=tmp_path, platform="darwin")
    assert "LD_LIBRARY_PATH" not in dict(mac.variables)


def test_an_interpreter_found_on_path_adds_only_its_shims(
    tmp_path: Path, make_python: MakePython
) -> None:
    make_python(tmp_path / "usr/bin/python3", "3.11.2", prefix=tmp_path / "usr")
    interpreter = only(SearchRoots(path=str(tmp_path / "usr/bin")))
    activation = activation_for((interpreter,), environ={}, shim_root=tmp_path / "shims")
    assert [p.parent for p in activation.path_prepend] == [tmp_path / "shims"]


def test_shims_run_the_chosen_interpreter_under_every_usual_name(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/python3").symlink_to(sys.executable)
    interpreter = only(SearchRoots(path=str(tmp_path / "bin")))
    shims = write_shims(interpreter, tmp_path / "shims")
    info = sys.version_info
    names = ["python", "python3", f"python{info.major}.{info.minor}"]
    assert sorted(p.name for p in shims.iterdir()) == sorted([*names, "pip", "pip3"])
    for name in names:
        out = subprocess.run(
            [str(shims / name), "-c", "import sys; print(sys.version_info[:3])"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == str(tuple(info[:3]))
    assert write_shims(interpreter, tmp_path / "shims") == shims
