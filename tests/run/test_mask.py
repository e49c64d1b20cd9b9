"""Secrets never reach the log."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conveyor.run.mask import MASK, Masker


def test_every_occurrence_is_masked() -> None:
    masker = Masker(["hunter2"])
    assert masker.mask("pw=hunter2 again hunter2") == "pw=*** again ***"


def test_text_without_secrets_is_unchanged() -> None:
    assert Masker().mask("nothing") == "nothing"
    assert Masker(["abc"]).mask("xyz") == "xyz"


@pytest.mark.parametrize("value", ["", " ", "\n", "\t \r\n"])
def test_empty_and_whitespace_values_are_ignored(value: str) -> None:
    masker = Masker([value])
    assert masker.mask("a b\tc") == "a b\tc"
    assert len(masker) == 0


def test_longest_secret_wins_when_secrets_overlap() -> None:
    masker = Masker(["abc", "abcdef"])
    assert masker.mask("xabcdefx") == "x***x"
    masker = Masker(["token", "my-token-value"])
    assert masker.mask("my-token-value") == MASK


def test_multiline_secret_is_masked_whole_and_line_by_line() -> None:
    key = "-----BEGIN KEY-----\nAAAAsecretBBBB\n-----END KEY-----"
    masker = Masker([key])
    assert masker.mask(key) == MASK
    printed = [masker.mask(line) for line in key.splitlines()]
    assert printed == [MASK, MASK, MASK]


def test_values_added_at_run_time() -> None:
    masker = Masker()
    assert masker.mask("id=42abc") == "id=42abc"
    masker.add("42abc")
    assert masker.mask("id=42abc") == "id=***"


def test_json_and_url_forms_are_masked() -> None:
    masker = Masker(['p"a/ss'])
    assert 'p"a/ss' not in masker.mask(json.dumps({"pw": 'p"a/ss'}))
    assert masker.mask("https://x/?pw=p%22a%2Fss") == "https://x/?pw=***"


def test_many_secrets() -> None:
    secrets = [f"secret-{i:04d}-value" for i in range(2000)]
    masker = Masker(secrets)
    line = " ".join(secrets[::97])
    assert "secret-" not in masker.mask(line)


@given(
    secret=st.text(min_size=1, max_size=30).filter(lambda s: s.strip()),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_a_secret_never_appears_in_masked_output(secret: str, before: str, after: str) -> None:
    masker = Masker([secret])
    text = before + secret + after
    for line in [text, *text.split("\n")]:
        masked = masker.mask(line)
        for piece in re.split(r"\r\n|\r|\n", secret):
            if piece.strip():
                assert piece not in masked


@given(
    secrets=st.lists(st.text(alphabet="abc", min_size=1, max_size=6), min_size=1, max_size=8),
    text=st.text(alphabet="abc \n", max_size=40),
)
def test_overlapping_secrets_mask_longest_first(secrets: list[str], text: str) -> None:
    masked = Masker(secrets).mask(text)
    longest_first = sorted(set(secrets), key=len, reverse=True)
    assert masked == re.sub("|".join(map(re.escape, longest_first)), MASK, text)
    for secret in secrets:
        assert secret not in masked
