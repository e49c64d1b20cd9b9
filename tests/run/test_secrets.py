from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.errors import UsageError
from conveyor.run.secrets import load_secrets, load_values


def test_flags_files_and_environment(tmp_path: Path) -> None:
    env_file = tmp_path / "secrets.env"
    env_file.write_text(
        '# team secrets\nexport API_KEY="from-file"\nCERT="line one\nline two"\nTOKEN=file\n'
    )
    secrets = load_secrets(
        ["TOKEN=flag", "FROM_ENV"], [env_file], environ={"FROM_ENV": "env-value"}
    )
    assert secrets["API_KEY"] == "from-file"
    assert secrets["CERT"] == "line one\nline two"
    assert secrets["TOKEN"] == "flag"  # flags win over files
    assert secrets["FROM_ENV"] == "env-value"
    assert secrets["GITHUB_TOKEN"] == ""


def test_github_token_comes_from_the_environment() -> None:
    assert load_secrets([], [], environ={"GITHUB_TOKEN": "ghs_x"})["GITHUB_TOKEN"] == "ghs_x"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("MISSING", "not set in the environment"),
        ("1BAD=x", "not a valid secret name"),
        ("GITHUB_SHA=x", "may not start with `GITHUB_`"),
    ],
)
def test_bad_secret_flags_say_what_to_do(item: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load_secrets([item], [], environ={})


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="var file not found"):
        load_values([], [tmp_path / "nope.env"], "var")


def test_vars_may_use_github_prefix_free_names() -> None:
    assert load_values(["REGION=eu", "EMPTY="], [], "var", environ={}) == {
        "REGION": "eu",
        "EMPTY": "",
    }
