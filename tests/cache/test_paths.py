"""Which files a `path` input selects."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conveyor.cache.paths import resolve_paths


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    for name in ("a/x.txt", "a/y.log", "a/sub/z.txt", "b/w.txt", ".hidden/h.txt"):
        (ws / name).parent.mkdir(parents=True, exist_ok=True)
        (ws / name).write_text(name)
    return ws


def names(paths: list[str], ws: Path) -> list[str]:
    return [f.name for f in resolve_paths(paths, workspace=ws)]


def test_a_directory_selects_everything_under_it(workspace: Path) -> None:
    assert names(["a"], workspace) == ["a", "a/sub", "a/sub/z.txt", "a/x.txt", "a/y.log"]


def test_globs_with_double_star_cross_directories(workspace: Path) -> None:
    assert names(["**/*.txt"], workspace) == [
        ".hidden/h.txt",
        "a/sub/z.txt",
        "a/x.txt",
        "b/w.txt",
    ]


def test_an_exclusion_applies_inside_a_selected_directory(workspace: Path) -> None:
    assert names(["a\n!a/sub\n!**/*.log"], workspace) == ["a", "a/x.txt"]


def test_a_later_pattern_selects_again(workspace: Path) -> None:
    assert names(["a", "!a/sub", "a/sub/z.txt"], workspace) == [
        "a",
        "a/sub/z.txt",
        "a/x.txt",
        "a/y.log",
    ]


def test_blank_lines_and_comments_are_skipped(workspace: Path) -> None:
    assert names(["\n# the logs\nb\n\n"], workspace) == ["b", "b/w.txt"]


def test_a_missing_path_selects_nothing(workspace: Path) -> None:
    assert names(["nope", "nope/**/*.txt"], workspace) == []


def test_tilde_is_the_home_directory_and_outside_paths_stay_absolute(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".cache" / "pip").mkdir(parents=True)
    (home / ".cache" / "pip" / "wheel").write_text("w")
    monkeypatch.setenv("HOME", str(home))
    pip = (home / ".cache" / "pip").as_posix()
    assert names(["~/.cache/pip"], workspace) == [pip, f"{pip}/wheel"]


def test_an_absolute_path_inside_the_workspace_is_stored_relative(workspace: Path) -> None:
    assert names([str(workspace / "b")], workspace) == ["b", "b/w.txt"]


def test_links_are_kept_not_followed(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("s")
    os.symlink(outside, workspace / "b" / "out")
    found = {f.name: f for f in resolve_paths(["b"], workspace=workspace)}
    assert sorted(found) == ["b", "b/out", "b/w.txt"]
    assert found["b/out"].kind == "link"
    assert found["b/out"].target == str(outside)


def test_a_pattern_ending_in_a_slash_selects_directories_only(workspace: Path) -> None:
    assert names(["a/*/"], workspace) == ["a/sub", "a/sub/z.txt"]
