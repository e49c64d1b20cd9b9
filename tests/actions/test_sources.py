"""The action cache: references, entries, replacement, damage."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from conveyor.actions.sources import (
    MARKER,
    ActionCache,
    ActionNotCached,
    ActionRef,
    locate,
    parse_ref,
    server_url,
)
from conveyor.errors import UserError


@pytest.mark.parametrize(
    ("uses", "expected"),
    [
        ("actions/checkout@v4", ActionRef(owner="actions", repo="checkout", path="", ref="v4")),
        (
            "actions/cache/restore@v4.1.0",
            ActionRef(owner="actions", repo="cache", path="restore", ref="v4.1.0"),
        ),
        ("o/r/a/b@release/v1", ActionRef(owner="o", repo="r", path="a/b", ref="release/v1")),
    ],
)
def test_references_split_into_owner_repo_path_and_ref(uses: str, expected: ActionRef) -> None:
    assert parse_ref(uses) == expected
    assert str(parse_ref(uses)) == uses


@pytest.mark.parametrize(
    "uses", ["checkout@v4", "actions/checkout", "a/b@", "a/../b@v1", "a b/c@v1"]
)
def test_malformed_references_are_refused_with_the_form_to_use(uses: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_ref(uses)
    assert uses in str(caught.value)


def make_source(root: Path, text: str = "one") -> Path:
    root.mkdir(parents=True)
    (root / "action.yml").write_text("name: x\nruns: {using: node20, main: index.js}\n")
    (root / "index.js").write_text(f"console.log('{text}')\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


def test_add_copies_without_git_and_replaces_an_older_copy(tmp_path: Path) -> None:
    cache = ActionCache(tmp_path / "cache")
    ref = parse_ref("Octo/Tool@release/v1")
    assert cache.find(ref) is None
    first = cache.add(ref, make_source(tmp_path / "one", "one"))
    assert cache.find(ref) == first
    assert not (first / ".git").exists()
    assert (first / "index.js").read_text() == "console.log('one')\n"
    cache.add(ref, make_source(tmp_path / "two", "two"))
    assert (cache.find(ref) or first / "x").joinpath(
        "index.js"
    ).read_text() == "console.log('two')\n"
    [entry] = cache.entries()
    assert (entry.repository, entry.ref) == ("Octo/Tool", "release/v1")
    assert entry.source == str((tmp_path / "two").resolve())
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no staging left
    assert cache.remove(ref)
    assert cache.find(ref) is None
    assert not cache.remove(ref)


def test_an_entry_without_its_marker_or_with_a_damaged_one_is_not_used(tmp_path: Path) -> None:
    cache = ActionCache(tmp_path / "cache")
    ref = parse_ref("octo/tool@v1")
    target = cache.add(ref, make_source(tmp_path / "src"))
    (target / MARKER).write_text("{not json")
    assert cache.entries() == []
    (target / MARKER).unlink()
    assert cache.find(ref) is None


def test_locate_offline_names_the_command_that_adds_the_action(tmp_path: Path) -> None:
    async def never(*args: object) -> int:
        raise AssertionError("no process may run offline")

    cache = ActionCache(tmp_path / "cache")
    with pytest.raises(ActionNotCached) as caught:
        asyncio.run(
            locate(parse_ref("octo/tool/sub@v1"), cache, allow_network=False, server="x", run=never)
        )
    text = str(caught.value)
    assert "`uses: octo/tool/sub@v1`" in text
    assert "conveyor actions add octo/tool@v1 --from DIR" in text
    cache.add(parse_ref("octo/tool@v1"), make_source(tmp_path / "src"))
    with pytest.raises(UserError, match="has no folder `sub`"):
        asyncio.run(
            locate(parse_ref("octo/tool/sub@v1"), cache, allow_network=False, server="x", run=never)
        )
    found = asyncio.run(
        locate(parse_ref("octo/tool@v1"), cache, allow_network=False, server="x", run=never)
    )
    assert (found / "action.yml").is_file()


def test_the_server_comes_from_the_environment_then_the_run_then_github(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONVEYOR_ACTIONS_SERVER", raising=False)
    assert server_url() == "https://github.com"
    assert server_url("https://ghe.example.com/") == "https://ghe.example.com"
    monkeypatch.setenv("CONVEYOR_ACTIONS_SERVER", "file:///srv/mirror/")
    assert server_url("https://ghe.example.com") == "file:///srv/mirror"


def test_legs_that_start_together_fetch_a_ref_once(tmp_path: Path) -> None:
    cache = ActionCache(tmp_path / "cache")
    calls: list[list[str]] = []

    async def fake_git(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> int:
        calls.append(list(argv))
        await asyncio.sleep(0.05)  # the others arrive while this one is fetching
        make_source(Path(argv[-1]))
        return 0

    async def three_legs() -> list[Path]:
        ref = parse_ref("octo/tool@v1")
        return list(
            await asyncio.gather(
                *(
                    locate(ref, cache, allow_network=True, server="file:///srv", run=fake_git)
                    for _ in range(3)
                )
            )
        )

    found = asyncio.run(three_legs())
    assert len(calls) == 1
    assert calls[0][:6] == ["git", "clone", "--quiet", "--depth", "1", "--branch"]
    assert calls[0][-2] == "file:///srv/octo/tool"
    assert len(set(found)) == 1
    assert (found[0] / "action.yml").is_file()


def test_a_fetch_keeps_a_copy_that_is_already_there(tmp_path: Path) -> None:
    cache = ActionCache(tmp_path / "cache")
    ref = parse_ref("octo/tool@v1")
    first = cache.add(ref, make_source(tmp_path / "one", "one"))
    again = cache.add(ref, make_source(tmp_path / "two", "two"), replace=False)
    assert again == first
    assert (first / "index.js").read_text() == "console.log('one')\n"


def test_a_fetch_replaces_an_incomplete_copy(tmp_path: Path) -> None:
    cache = ActionCache(tmp_path / "cache")
    ref = parse_ref("octo/tool@v1")
    target = cache.add(ref, make_source(tmp_path / "one", "one"))
    (target / MARKER).unlink()  # as if damaged by hand
    again = cache.add(ref, make_source(tmp_path / "two", "two"), replace=False)
    assert cache.find(ref) == again
    assert (again / "index.js").read_text() == "console.log('two')\n"


def test_a_folder_that_cannot_be_copied_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    source = make_source(tmp_path / "src")
    with socket.socket(socket.AF_UNIX) as listener:  # a socket file cannot be copied
        listener.bind(str(source / "agent.sock"))
        with pytest.raises(UserError, match=r"cannot copy .* into the action cache"):
            ActionCache(tmp_path / "cache").add(parse_ref("octo/tool@v1"), source)
    assert ActionCache(tmp_path / "cache").entries() == []  # nothing half-written
