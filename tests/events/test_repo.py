from __future__ import annotations

import pytest

from conveyor.events import read_repo_info, repo_from_remote_url
from conveyor.git import Git

from .conftest import Repo


@pytest.mark.parametrize(
    ("url", "full_name"),
    [
        ("https://github.com/octo/hello.git", "octo/hello"),
        ("https://github.com/octo/hello", "octo/hello"),
        ("https://user:token@github.example.com/octo/hello.git/", "octo/hello"),
        ("git@github.com:octo/hello.git", "octo/hello"),
        ("git@github.com:octo/hello", "octo/hello"),
        ("ssh://git@github.com/octo/hello.git", "octo/hello"),
        ("ssh://git@git.example.com:2222/group/sub/hello.git", "sub/hello"),
        ("/srv/git/octo/hello.git", "octo/hello"),
        ("hello.git", None),
        ("https://github.com/", None),
    ],
)
def test_repository_from_the_remote_url(url: str, full_name: str | None) -> None:
    assert repo_from_remote_url(url) == full_name


def test_repo_info(repo: Repo) -> None:
    repo.commit("one", a="1")
    repo.git("remote", "add", "origin", "https://github.com/octo/hello.git")
    info = read_repo_info(Git(repo.root))
    assert (info.full_name, info.owner, info.name) == ("octo/hello", "octo", "hello")
    assert (info.default_branch, info.actor, info.actor_email) == (
        "main",
        "Mona-Lisa",
        "mona@example.com",
    )
    assert read_repo_info(Git(repo.root), actor="octocat").actor == "octocat"


def test_without_origin_the_directory_names_the_repository(repo: Repo) -> None:
    repo.commit("one", a="1")
    assert read_repo_info(Git(repo.root / ".")).full_name == "local/hello"
