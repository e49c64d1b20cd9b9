"""The files a step writes: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH, summary."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conveyor.run.envfiles import (
    create_step_files,
    prepend_path,
    read_env,
    read_key_values,
    read_path,
    read_summary,
)


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "file"
    file.write_bytes(text.encode())
    return file


def test_step_files_are_fresh_and_a_real_step_writes_them(tmp_path: Path) -> None:
    files = create_step_files(tmp_path / "files")
    again = create_step_files(tmp_path / "files")
    assert files.output != again.output
    assert files.output.read_text() == ""
    script = """
echo "version=1.2.3" >> "$GITHUB_OUTPUT"
{ echo "notes<<EOF"; echo "line one"; echo "line two"; echo "EOF"; } >> "$GITHUB_OUTPUT"
echo "MODE=fast" >> "$GITHUB_ENV"
echo "/opt/tool/bin" >> "$GITHUB_PATH"
echo "### Done" >> "$GITHUB_STEP_SUMMARY"
echo "pid=7" >> "$GITHUB_STATE"
"""
    subprocess.run(["bash", "-ec", script], env=files.environment(), check=True)
    assert read_key_values(files.output).values == {
        "version": "1.2.3",
        "notes": "line one\nline two",
    }
    assert read_env(files.env).values == {"MODE": "fast"}
    assert read_key_values(files.state).values == {"pid": "7"}
    assert read_path(files.path) == ("/opt/tool/bin",)
    assert read_summary(files.summary) == "### Done\n"


def test_value_may_contain_equals_and_later_pairs_win(tmp_path: Path) -> None:
    read = read_key_values(write(tmp_path, "a=x=y\n\nb=\na=2\n"))
    assert read.values == {"a": "2", "b": ""}
    assert read.error is None


def test_heredoc_keeps_crlf_inside_and_empty_values(tmp_path: Path) -> None:
    read = read_key_values(write(tmp_path, "k<<END\r\none\r\ntwo\r\nEND\r\ne<<X\nX\n"))
    assert read.values == {"k": "one\r\ntwo", "e": ""}


def test_missing_closing_delimiter_names_the_line(tmp_path: Path) -> None:
    file = write(tmp_path, "ok=1\nnotes<<EOF\nline\n")
    read = read_key_values(file)
    assert read.values == {"ok": "1"}
    assert read.error is not None
    assert read.error.line == 2
    assert "EOF" in read.error.message
    assert str(read.error).startswith(f"{file}:2:")


def test_empty_name_is_an_error(tmp_path: Path) -> None:
    read = read_key_values(write(tmp_path, "a=1\n=value\n"))
    assert read.error is not None
    assert read.error.line == 2
    assert "name" in read.error.message


def test_a_line_that_is_neither_form_is_an_error(tmp_path: Path) -> None:
    read = read_key_values(write(tmp_path, "just words\n"))
    assert read.error is not None
    assert read.error.line == 1


def test_node_options_is_refused_in_github_env(tmp_path: Path) -> None:
    read = read_env(write(tmp_path, "NODE_OPTIONS=--inspect\nOTHER=1\n"))
    assert read.values == {"OTHER": "1"}
    assert read.warnings == (
        "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.",
    )


def test_later_path_lines_take_precedence(tmp_path: Path) -> None:
    entries = read_path(write(tmp_path, "/first\n/second\n\n/first\n"))
    assert entries == ("/first", "/second")
    assert read_path(write(tmp_path, "/a\n/b\n")) == ("/b", "/a")
    assert prepend_path(("/new", "/a"), ("/a", "/old")) == ("/new", "/a", "/old")


def test_summary_over_one_mebibyte_is_an_error(tmp_path: Path) -> None:
    file = write(tmp_path, "x" * (1024 * 1024 + 1))
    result = read_summary(file)
    assert not isinstance(result, str)
    assert "1024k" in result.message
    assert read_summary(write(tmp_path, "x" * 1024 * 1024)) == "x" * 1024 * 1024
    assert read_summary(tmp_path / "missing") == ""
