from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from conveyor.errors import UserError
from conveyor.pythons.version_files import read_version_file, resolve_version_input

FILES = [
    (".python-version", "3.13\n", ["3.13"]),
    (".python-version", "3.13\r\n3.12", ["3.13", "3.12"]),
    (
        ".python-version",
        "3.13/envs/virtualenv\r# 3.12\n3.11\r\n3.10\r\n 3.9 \r\n",
        ["3.13", "3.11", "3.10", "3.9"],
    ),
    ("python-version.txt", "pypy3.10-7.3.12\n", ["pypy3.10-7.3.12"]),
    (".tool-versions", "nodejs 20.1.0\npython 3.13.2\n", ["3.13.2"]),
    (".tool-versions", "# python 3.13\n  python   v3.12  3.11\n", ["3.12"]),
    ("Pipfile", '[requires]\npython_version = "3.12"\n', ["3.12"]),
    (
        "Pipfile",
        '[requires]\npython_full_version = "3.12.1"\npython_version = "3.12"\n',
        ["3.12.1"],
    ),
    ("pyproject.toml", '[project]\nrequires-python = ">=3.10,<3.13"\n', [">=3.10,<3.13"]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.10"\n', ["^3.10"]),
]


@pytest.mark.parametrize(("name", "content", "expected"), FILES)
def test_version_files_name_the_versions_setup_python_reads(
    tmp_path: Path, name: str, content: str, expected: list[str]
) -> None:
    file = tmp_path / name
    file.write_text(content, encoding="utf-8")
    assert [spec.text for spec in read_version_file(file)] == expected


def test_poetry_commas_mean_and(tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text('[tool.poetry.dependencies]\npython = ">=3.9,<3.12"\n', encoding="utf-8")
    (spec,) = read_version_file(file)
    assert spec.install_request == ">=3.9.0,<3.12"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", "[project]\nname = 'x'\n"),
        ("pyproject.toml", ""),
        ("pyproject.toml", "tool = 1\n"),
        ("Pipfile", "[packages]\n"),
        (".tool-versions", "nodejs 20\n"),
        (".python-version", "# nothing\n\n"),
    ],
)
def test_a_file_that_names_no_version_says_so(tmp_path: Path, name: str, content: str) -> None:
    file = tmp_path / name
    file.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match="names no Python version"):
        read_version_file(file)


def test_broken_toml_is_a_user_error_naming_the_file(tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text("[project\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"pyproject\.toml: is not valid TOML"):
        read_version_file(file)


def test_python_version_wins_over_the_file_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_text("3.9\n", encoding="utf-8")
    got = resolve_version_input(
        python_version="3.11\n3.12", python_version_file=".python-version", workspace=tmp_path
    )
    assert [s.text for s in got.specs] == ["3.11", "3.12"]
    assert got.source == "python-version"
    assert "only python-version will be used" in got.warnings[0]


def test_the_version_file_input_is_relative_to_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "versions").write_text("3.10\n", encoding="utf-8")
    got = resolve_version_input(python_version_file="ci/versions", workspace=tmp_path)
    assert [s.text for s in got.specs] == ["3.10"]
    assert got.warnings == ()


def test_a_missing_version_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"file at: \.python-version-x doesn't exist"):
        resolve_version_input(python_version_file=".python-version-x", workspace=tmp_path)


def test_without_inputs_the_workspace_python_version_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_text("3.12\n", encoding="utf-8")
    got = resolve_version_input(workspace=tmp_path)
    assert [s.text for s in got.specs] == ["3.12"]
    assert got.source == ".python-version"


def test_without_anything_the_path_python_is_used_with_a_warning(tmp_path: Path) -> None:
    got = resolve_version_input(workspace=tmp_path)
    assert got.specs == ()
    assert "currently in `PATH` will be used" in got.warnings[0]


def test_allow_prereleases_reaches_file_versions(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_text("3.14\n", encoding="utf-8")
    (plain,) = resolve_version_input(workspace=tmp_path).specs
    (pre,) = resolve_version_input(workspace=tmp_path, allow_prereleases=True).specs
    assert not plain.python.contains(Version("3.14.0rc1"))
    assert pre.python.contains(Version("3.14.0rc1"))
