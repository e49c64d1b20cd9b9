"""Which files an upload-artifact `path` selects, and where the artifact's root is."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conveyor.artifacts import find_files
from conveyor.errors import UserError

Tree = Callable[[Mapping[str, str]], Path]

PROJECT = {
    "dist/app-1.0.whl": "w",
    "dist/app-1.0.tar.gz": "s",
    "dist/tmp/build.tmp": "t",
    "dist/.secret": "h",
    "reports/unit/junit.xml": "j",
    "reports/cov/coverage.xml": "c",
    "reports/.cache/state": "h",
    "docs/index.md": "d",
    ".hidden/inside.txt": "h",
}


def selected(workspace: Path, paths: str, *, include_hidden: bool = False) -> list[str]:
    result = find_files(paths, workspace=workspace, include_hidden=include_hidden)
    return sorted(result.relative(file) for file in result.files)


def root_of(workspace: Path, paths: str) -> str:
    root = find_files(paths, workspace=workspace).root
    return root.relative_to(workspace).as_posix() if root != workspace else "."


@pytest.mark.parametrize(
    ("paths", "root", "files"),
    [
        # a directory: its contents, relative to it
        ("dist", "dist", ["app-1.0.tar.gz", "app-1.0.whl", "tmp/build.tmp"]),
        ("dist/", "dist", ["app-1.0.tar.gz", "app-1.0.whl", "tmp/build.tmp"]),
        ("./dist", "dist", ["app-1.0.tar.gz", "app-1.0.whl", "tmp/build.tmp"]),
        # a single file without wildcards: root is its parent
        ("dist/app-1.0.whl", "dist", ["app-1.0.whl"]),
        # wildcards: structure below the literal prefix is kept
        ("dist/*.whl", "dist", ["app-1.0.whl"]),
        ("**/*.xml", ".", ["reports/cov/coverage.xml", "reports/unit/junit.xml"]),
        ("reports/**/*.xml", "reports", ["cov/coverage.xml", "unit/junit.xml"]),
        ("reports/*/junit.?ml", "reports", ["unit/junit.xml"]),
        ("dist/app-1.0.[tw]*", "dist", ["app-1.0.tar.gz", "app-1.0.whl"]),
        ("dist/app-1.0.[!t]*", "dist", ["app-1.0.whl"]),
        # several search paths: their least common ancestor is the root
        (
            "dist/*.whl\nreports/unit/",
            ".",
            ["dist/app-1.0.whl", "reports/unit/junit.xml"],
        ),
        (
            "reports/unit/junit.xml\nreports/cov",
            "reports",
            ["cov/coverage.xml", "unit/junit.xml"],
        ),
        # `!` excludes, in order
        ("dist\n!dist/tmp", "dist", ["app-1.0.tar.gz", "app-1.0.whl"]),
        ("dist\n!**/*.tmp\n!dist/*.gz", "dist", ["app-1.0.whl"]),
        (
            "dist\n!dist/tmp\ndist/tmp/build.tmp",
            "dist",
            ["app-1.0.tar.gz", "app-1.0.whl", "tmp/build.tmp"],
        ),
        ("dist\n!!dist/tmp", "dist", ["app-1.0.tar.gz", "app-1.0.whl", "tmp/build.tmp"]),
        # blank lines, comments and surrounding spaces are ignored
        ("\n  # the wheel\n  dist/*.whl  \n\n", "dist", ["app-1.0.whl"]),
        # braces are literal text for @actions/glob
        ("dist/*.{whl,gz}", "dist", []),
    ],
)
def test_patterns(make_tree: Tree, paths: str, root: str, files: list[str]) -> None:
    workspace = make_tree(PROJECT)
    assert selected(workspace, paths) == files
    assert root_of(workspace, paths) == root


def test_hidden_files_are_left_out_by_default(make_tree: Tree) -> None:
    workspace = make_tree(PROJECT)
    assert ".secret" not in selected(workspace, "dist")
    assert selected(workspace, "reports") == ["cov/coverage.xml", "unit/junit.xml"]
    assert selected(workspace, "**/*") == [
        "dist/app-1.0.tar.gz",
        "dist/app-1.0.whl",
        "dist/tmp/build.tmp",
        "docs/index.md",
        "reports/cov/coverage.xml",
        "reports/unit/junit.xml",
    ]


def test_include_hidden_keeps_dot_files_and_directories(make_tree: Tree) -> None:
    workspace = make_tree(PROJECT)
    assert ".secret" in selected(workspace, "dist", include_hidden=True)
    assert ".cache/state" in selected(workspace, "reports", include_hidden=True)
    assert selected(workspace, ".hidden", include_hidden=True) == ["inside.txt"]


def test_a_hidden_search_root_is_skipped_but_a_named_file_inside_one_is_not(
    make_tree: Tree,
) -> None:
    # GitHub's globber checks the name of each item it visits, from the search root down
    workspace = make_tree(PROJECT)
    assert selected(workspace, ".hidden") == []
    assert selected(workspace, ".hidden/inside.txt") == ["inside.txt"]


def test_nothing_matches(make_tree: Tree) -> None:
    workspace = make_tree(PROJECT)
    assert selected(workspace, "missing/") == []
    assert selected(workspace, "dist/*.exe") == []
    assert selected(workspace, "!dist") == []


def test_empty_directories_are_not_selected(make_tree: Tree) -> None:
    workspace = make_tree({"out/empty/": "", "out/full/a.txt": "a"})
    assert selected(workspace, "out") == ["full/a.txt"]


def test_trailing_slash_matches_directories_only(make_tree: Tree) -> None:
    workspace = make_tree({"out/build": "a file named build", "pkg/build/lib.so": "so"})
    assert selected(workspace, "*/build/") == ["pkg/build/lib.so"]
    assert selected(workspace, "*/build") == ["out/build", "pkg/build/lib.so"]


def test_absolute_and_home_patterns(
    make_tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_tree(PROJECT)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "logs").mkdir(parents=True)
    (elsewhere / "logs" / "run.log").write_text("log")
    assert selected(workspace, f"{elsewhere}/logs/*.log") == ["run.log"]
    monkeypatch.setenv("HOME", str(elsewhere))
    assert selected(workspace, "~/logs") == ["run.log"]


@pytest.mark.parametrize("paths", ["../outside", "dist/../reports", "dist/./app-1.0.whl"])
def test_relative_pathing_is_refused(make_tree: Tree, paths: str) -> None:
    workspace = make_tree(PROJECT)
    with pytest.raises(UserError, match="relative pathing"):
        find_files(paths, workspace=workspace)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symbolic_links_are_followed_and_broken_ones_skipped(
    make_tree: Tree, tmp_path: Path
) -> None:
    workspace = make_tree({"out/real.txt": "r"})
    target = tmp_path / "shared"
    (target / "deep").mkdir(parents=True)
    (target / "deep" / "lib.txt").write_text("lib")
    (workspace / "out" / "linked").symlink_to(target, target_is_directory=True)
    (workspace / "out" / "alias.txt").symlink_to(workspace / "out" / "real.txt")
    (workspace / "out" / "broken.txt").symlink_to(workspace / "nowhere")
    (workspace / "out" / "loop").symlink_to(workspace / "out", target_is_directory=True)
    assert selected(workspace, "out") == ["alias.txt", "linked/deep/lib.txt", "real.txt"]


def test_a_workspace_with_wildcard_characters_in_its_path(tmp_path: Path) -> None:
    workspace = tmp_path / "job [3.12] *"
    (workspace / "dist").mkdir(parents=True)
    (workspace / "dist" / "app.whl").write_text("w")
    result = find_files("dist/*.whl", workspace=workspace)
    assert [result.relative(f) for f in result.files] == ["app.whl"]
    assert result.root == workspace / "dist"


def test_backslash_escapes_a_wildcard(make_tree: Tree) -> None:
    workspace = make_tree({"odd/a*b.txt": "star", "odd/axb.txt": "x"})
    assert selected(workspace, "odd/a\\*b.txt") == ["a*b.txt"]
    assert selected(workspace, "odd/a*b.txt") == ["a*b.txt", "axb.txt"]
