"""Bytes to lines, as a step's log shows them."""

from __future__ import annotations

from conveyor.executors.lines import LineSplitter


def split(*chunks: bytes, max_line: int = 100) -> list[str]:
    lines: list[str] = []
    splitter = LineSplitter(lines.append, max_line=max_line)
    for chunk in chunks:
        splitter.feed(chunk)
    splitter.close()
    return lines


def test_a_character_split_across_reads_is_kept_whole() -> None:
    euro = "€".encode()
    assert split(b"price " + euro[:1], euro[1:] + b" 5\n") == ["price € 5"]


def test_empty_lines_and_crlf() -> None:
    assert split(b"a\r\n\r\nb\n") == ["a", "", "b"]


def test_last_line_without_newline_and_truncated_character() -> None:
    assert split(b"done\npartial \xe2\x82") == ["done", "partial \ufffd"]


def test_nothing_in_nothing_out() -> None:
    assert split(b"") == []


def test_long_lines_are_cut_at_the_limit() -> None:
    assert split(b"abcdefg\nhi", max_line=3) == ["abc", "def", "g", "hi"]
