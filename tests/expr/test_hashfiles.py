from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conveyor.expr.hashfiles import hash_files, matching_files


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    files = {
        "for-hashing-1.txt": "Hello\n",
        "for-hashing-2.txt": "World!\n",
        "for-hashing-3/data.txt": "Knock knock!\n",
        "for-hashing-3/nested/nested-data.txt": "Anybody home?\n",
        ".github/workflows/ci.yml": "on: push\n",
        "a-b/file": "x",
        "a/c": "y",
    }
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return tmp_path


@pytest.mark.parametrize(
    ("patterns", "files"),
    [
        (["./for-hashing-1.txt"], ["for-hashing-1.txt"]),
        (["./for-hashing-*.txt"], ["for-hashing-1.txt", "for-hashing-2.txt"]),
        (["./for-hashing-*.txt", "!./for-hashing-2.txt"], ["for-hashing-1.txt"]),
        (
            ["./for-hashing-**"],  # `**` inside a name is `*`; a matched directory brings its files
            [
                "for-hashing-1.txt",
                "for-hashing-2.txt",
                "for-hashing-3/data.txt",
                "for-hashing-3/nested/nested-data.txt",
            ],
        ),
        (["for-hashing-3/**/nested-data.txt"], ["for-hashing-3/nested/nested-data.txt"]),
        (["for-hashing-3/"], ["for-hashing-3/data.txt", "for-hashing-3/nested/nested-data.txt"]),
        (["**/*.yml"], [".github/workflows/ci.yml"]),  # `*` and `**` match dot-names
        (
            ["**/*.txt", "!**/nested/**"],
            [
                "for-hashing-1.txt",
                "for-hashing-2.txt",
                "for-hashing-3/data.txt",
            ],
        ),
        # a later pattern includes again
        (
            ["**/*.txt", "!for-hashing-3", "for-hashing-3/data.txt"],
            [
                "for-hashing-1.txt",
                "for-hashing-2.txt",
                "for-hashing-3/data.txt",
            ],
        ),
        # one argument may hold several lines; search roots come in pattern order
        (
            ["for-hashing-3/**\n# a comment\n\n./for-hashing-1.txt"],
            [
                "for-hashing-3/data.txt",
                "for-hashing-3/nested/nested-data.txt",
                "for-hashing-1.txt",
            ],
        ),
        (["a*/**"], ["a/c", "a-b/file"]),  # depth first, each directory in name order
        (["**/non-extant-files"], []),
        ([".//for-hashing-3/./nested//"], ["for-hashing-3/nested/nested-data.txt"]),
        (["for-hashing-3/nested/../data.txt"], ["for-hashing-3/data.txt"]),
        (
            [".//."],
            [  # found by the fuzzer: it used to reach outside the workspace
                ".github/workflows/ci.yml",
                "a/c",
                "a-b/file",
                "for-hashing-1.txt",
                "for-hashing-2.txt",
                "for-hashing-3/data.txt",
                "for-hashing-3/nested/nested-data.txt",
            ],
        ),
        (["../outside/**"], []),
        (["!**"], []),
    ],
)
def test_which_files_match(workspace: Path, patterns: list[str], files: list[str]) -> None:
    assert matching_files(workspace, patterns) == files


def test_absolute_patterns_inside_the_workspace_work(workspace: Path) -> None:
    pattern = str(workspace / "for-hashing-1.txt")
    assert matching_files(workspace, [pattern]) == ["for-hashing-1.txt"]
    assert matching_files(workspace, ["/etc/passwd"]) == []


def test_the_hash_is_sha256_over_each_files_sha256(workspace: Path) -> None:
    digest = hashlib.sha256(
        hashlib.sha256(b"Hello\n").digest() + hashlib.sha256(b"World!\n").digest()
    ).hexdigest()
    assert hash_files(workspace, ["for-hashing-*.txt"]) == digest


def test_no_match_is_the_empty_string(workspace: Path) -> None:
    assert hash_files(workspace, ["*.nothing"]) == ""


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_linked_directories_are_followed_only_when_asked(workspace: Path) -> None:
    (workspace / "link").symlink_to(workspace / "for-hashing-3", target_is_directory=True)
    assert matching_files(workspace, ["link/**"]) == []
    followed = matching_files(workspace, ["--follow-symbolic-links", "link/**"])
    assert followed == ["link/data.txt", "link/nested/nested-data.txt"]
