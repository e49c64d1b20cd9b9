"""Shell templates, run for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conveyor.errors import UserError
from conveyor.run.shells import script_command, shell_command


def run(shell: str | None, script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    command = shell_command(shell, script, temp_dir=tmp_path / "temp")
    return subprocess.run(command.argv, capture_output=True, text=True, cwd=tmp_path, check=False)


def test_default_shell_is_bash_e_and_stops_at_the_first_failure(tmp_path: Path) -> None:
    command = shell_command(None, "echo one\nfalse\necho two\n", temp_dir=tmp_path)
    assert Path(command.argv[0]).name == "bash"
    assert command.argv[1:] == ("-e", str(command.script))
    assert command.script.suffix == ".sh"
    done = subprocess.run(command.argv, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout == "one\n"


def test_default_shell_falls_back_to_sh_without_bash(tmp_path: Path) -> None:
    only_sh = tmp_path / "bin"
    only_sh.mkdir()
    sh = shutil.which("sh")
    assert sh is not None
    (only_sh / "sh").symlink_to(sh)
    command = shell_command(None, "echo hi", temp_dir=tmp_path, path=str(only_sh))
    assert command.argv == (str(only_sh / "sh"), "-e", str(command.script))


def test_pipefail_only_under_shell_bash(tmp_path: Path) -> None:
    assert run("bash", "false | true\necho after", tmp_path).returncode == 1
    default = run(None, "false | true\necho after", tmp_path)
    assert default.returncode == 0
    assert default.stdout == "after\n"


def test_bash_reads_no_profile_or_rc(tmp_path: Path) -> None:
    command = shell_command("bash", "echo hi", temp_dir=tmp_path)
    assert command.argv[1:5] == ("--noprofile", "--norc", "-eo", "pipefail")


def test_sh_stops_at_the_first_failure(tmp_path: Path) -> None:
    done = run("sh", "echo one; false; echo two", tmp_path)
    assert (done.returncode, done.stdout) == (1, "one\n")


def test_python_shell_runs_python(tmp_path: Path) -> None:
    command = shell_command(
        "python", "import sys\nprint(sys.version_info[0] * 7)\n", temp_dir=tmp_path
    )
    assert command.script.suffix == ".py"
    done = subprocess.run(command.argv, capture_output=True, text=True, check=False)
    assert done.stdout == "21\n"


def test_custom_shell_replaces_the_placeholder(tmp_path: Path) -> None:
    done = run("bash -x {0}", "echo traced", tmp_path)
    assert done.stdout == "traced\n"
    assert "+ echo traced" in done.stderr
    command = shell_command("bash -x {0}", "true", temp_dir=tmp_path)
    assert command.script.suffix == ".sh"


@pytest.mark.skipif(shutil.which("perl") is None, reason="needs perl")
def test_custom_perl_shell(tmp_path: Path) -> None:
    done = run("perl {0}", 'print "from perl\\n";', tmp_path)
    assert done.stdout == "from perl\n"


def test_custom_python_with_arguments(tmp_path: Path) -> None:
    done = run(f"{sys.executable} -u {{0}}", "print('unbuffered')", tmp_path)
    assert done.stdout == "unbuffered\n"


def test_custom_template_without_placeholder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"without `\{0\}`") as caught:
        shell_command("perl -w", "print 1", temp_dir=tmp_path, step="lint")
    assert "step `lint`" in str(caught.value)


@pytest.mark.parametrize("shell", ["powershell", "cmd"])
def test_windows_only_shells_are_a_clear_error(shell: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="only on Windows"):
        shell_command(shell, "dir", temp_dir=tmp_path)


def test_pwsh_without_powershell_installed_says_how_to_get_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError) as caught:
        shell_command("pwsh", "Write-Output 1", temp_dir=tmp_path, path=str(empty), step="ps")
    assert "`shell: pwsh`" in str(caught.value)
    assert "install PowerShell" in str(caught.value)


@pytest.mark.skipif(shutil.which("pwsh") is None, reason="needs pwsh")
def test_pwsh_runs_powershell(tmp_path: Path) -> None:
    command = shell_command("pwsh", "Write-Output 'hi'", temp_dir=tmp_path)
    assert command.script.suffix == ".ps1"
    done = subprocess.run(command.argv, capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "hi"


def test_custom_program_not_installed(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="`no-such-shell` is not installed"):
        shell_command("no-such-shell {0}", "x", temp_dir=tmp_path)


def test_script_command_returns_the_argv(tmp_path: Path) -> None:
    argv = script_command("sh", "echo hi", tmp_path, path=os.environ["PATH"])
    assert Path(argv[0]).name == "sh"
    assert Path(argv[-1]).read_text() == "echo hi"
