"""`conveyor actions add|list|rm`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conveyor.cli import main


def source(tmp_path: Path, *, nested: bool = False) -> Path:
    root = tmp_path / "src"
    action_dir = root / "restore" if nested else root
    action_dir.mkdir(parents=True)
    (action_dir / "action.yml").write_text("name: x\nruns: {using: node20, main: index.js}\n")
    return root


def test_add_list_and_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = source(tmp_path, nested=True)  # actions in subfolders, as actions/cache has
    assert main(["actions", "add", "octo/tool@v2", "--from", str(src)]) == 0
    assert "added octo/tool@v2 in " in capsys.readouterr().out
    assert main(["actions", "add", "octo/tool@v2", "--from", str(src)]) == 0
    assert "replaced octo/tool@v2" in capsys.readouterr().out
    assert main(["actions", "list"]) == 0
    out = capsys.readouterr().out
    assert f"octo/tool@v2  from {src.resolve()}" in out
    assert "1 action in " in out
    assert main(["actions", "list", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["repository"], entry["ref"]) == ("octo/tool", "v2")
    assert Path(entry["path"], "restore", "action.yml").is_file()
    assert main(["actions", "rm", "octo/tool@v2"]) == 0
    assert "removed octo/tool@v2" in capsys.readouterr().out
    assert main(["actions", "list"]) == 0
    assert "No actions in" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rm", "octo/none@v1"], "octo/none@v1 is not in the action cache"),
        (
            ["add", "octo/tool/sub@v1", "--from", "{src}"],
            "add the whole repository, `octo/tool@v1`",
        ),
        (["add", "octo@v1", "--from", "{src}"], "`octo@v1` is not an action reference"),
        (["add", "octo/tool@v1", "--from", "{empty}"], "holds no action.yml or action.yaml"),
    ],
)
def test_mistakes_are_exit_2_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    src = source(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [a.format(src=src, empty=empty) for a in argv]
    assert main(["actions", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err
