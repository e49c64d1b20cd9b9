"""node-semver ranges, as `actions/setup-python` reads `python-version`, over PEP 440 versions.

setup-python hands its input to node-semver (`3.12`, `3.x`, `>=3.9 <3.12`, `~3.11`, `^3.11`,
`3.10 - 3.12`, `3.11 || 3.12`, `3.13.0-alpha.1`). This module desugars those forms into
comparator sets once, then tests the versions interpreters report. A version written the
semver way (`3.13.0-rc.1`, `-0`) becomes its PEP 440 twin (`3.13.0rc1`, `.dev0`: the lowest
version of a release), so the interpreters' own versions compare directly.

node-semver's prerelease rule is kept: a prerelease satisfies a comparator set only when
some comparator of that set names a prerelease of the same `major.minor.patch`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.version import Version

_PART = r"(\d+|[xX*])"
_PARTIAL = re.compile(
    rf"^(?P<op><=|>=|<|>|=|~>?|\^)?v?=?\s*{_PART}(?:\.{_PART}(?:\.{_PART}"
    r"(?:-?(?P<pre>[0-9A-Za-z.]+))?)?)?(?:\+[0-9A-Za-z.-]+)?$"
)
_HYPHEN = re.compile(r"^(?P<low>\S+)\s+-\s+(?P<high>\S+)$")
_OP_SPACE = re.compile(r"(<=|>=|<|>|=|~>?|\^)\s+")
_PRE = re.compile(r"^(?P<kind>a|alpha|b|beta|c|rc|pre|preview)\.?(?P<num>\d*)$")
_PRE_KIND = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc"}
_PRE_KIND |= {"pre": "rc", "preview": "rc"}


class RangeSyntaxError(ValueError):
    """The text is not a node-semver range this module reads."""


@dataclass(frozen=True, slots=True)
class Comparator:
    """One `op version` test; `op` is one of `<`, `<=`, `>`, `>=`, `=`."""

    op: str
    version: Version

    def test(self, version: Version) -> bool:
        if self.op == "<":
            return version < self.version
        if self.op == "<=":
            return version <= self.version
        if self.op == ">":
            return version > self.version
        if self.op == ">=":
            return version >= self.version
        return version == self.version


@dataclass(frozen=True, slots=True)
class SemverRange:
    """Comparator sets joined by `||`; an empty set matches every release."""

    sets: tuple[tuple[Comparator, ...], ...]

    def contains(self, version: Version) -> bool:
        return any(_set_contains(group, version) for group in self.sets)

    def pins_release(self) -> Version | None:
        """The one release this range names exactly (`3.12.1`), or None."""
        if len(self.sets) == 1 and len(self.sets[0]) == 1 and self.sets[0][0].op == "=":
            return self.sets[0][0].version
        return None


def _release(version: Version) -> tuple[int, int, int]:
    parts = (*version.release, 0, 0, 0)
    return (parts[0], parts[1], parts[2])


def _set_contains(group: tuple[Comparator, ...], version: Version) -> bool:
    if not all(comparator.test(version) for comparator in group):
        return False
    if not version.is_prerelease:
        return True
    return any(c.version.is_prerelease and _release(c.version) == _release(version) for c in group)


def parse_range(text: str) -> SemverRange:
    """Parse a node-semver range (loose: `v` prefixes, `3.7.0b2`); raise RangeSyntaxError."""
    alternatives = [part.strip() for part in text.split("||")]
    return SemverRange(tuple(_parse_set(part) for part in alternatives))


def _parse_set(text: str) -> tuple[Comparator, ...]:
    if not text or text in {"*", "x", "X"}:
        return ()
    hyphen = _HYPHEN.match(text)
    if hyphen:
        return _hyphen(hyphen["low"], hyphen["high"])
    comparators: list[Comparator] = []
    for token in _OP_SPACE.sub(r"\1", text).split():
        comparators.extend(_desugar(token))
    return tuple(comparators)


def _split(token: str) -> tuple[str, list[int | None], str | None]:
    match = _PARTIAL.match(token)
    if not match:
        raise RangeSyntaxError(f"`{token}` is not a version or a version range")
    parts = [None if p is None or p in "xX*" else int(p) for p in match.group(2, 3, 4)]
    return match["op"] or "", parts, match["pre"]


def _version(major: int, minor: int = 0, patch: int = 0, pre: str | None = None) -> Version:
    text = f"{major}.{minor}.{patch}"
    if pre is None:
        return Version(text)
    if pre == "0":
        return Version(text + ".dev0")
    match = _PRE.match(pre)
    if not match:
        raise RangeSyntaxError(f"`{pre}` is not a prerelease tag Python uses (a, b, rc)")
    return Version(f"{text}{_PRE_KIND[match['kind']]}{match['num'] or 0}")


def _floor(major: int) -> Version:
    """The lowest version of a release series (`<X.0.0-0`)."""
    return _version(major, pre="0")


def _desugar(token: str) -> list[Comparator]:
    op, (major, minor, patch), pre = _split(token)
    if op in {"~", "~>"}:
        return _tilde(major, minor, patch, pre)
    if op == "^":
        return _caret(major, minor, patch, pre)
    if op in {"", "="}:
        return _xrange(major, minor, patch, pre)
    return _partial_comparator(op, major, minor, patch, pre)


def _xrange(
    major: int | None, minor: int | None, patch: int | None, pre: str | None
) -> list[Comparator]:
    if major is None:
        return []
    if minor is None:
        return [Comparator(">=", _version(major)), Comparator("<", _floor(major + 1))]
    if patch is None:
        return [
            Comparator(">=", _version(major, minor)),
            Comparator("<", _version(major, minor + 1, pre="0")),
        ]
    return [Comparator("=", _version(major, minor, patch, pre))]


def _tilde(
    major: int | None, minor: int | None, patch: int | None, pre: str | None
) -> list[Comparator]:
    if major is None or minor is None or patch is None:
        return _xrange(major, minor, None, None)
    return [
        Comparator(">=", _version(major, minor, patch, pre)),
        Comparator("<", _version(major, minor + 1, pre="0")),
    ]


def _caret(
    major: int | None, minor: int | None, patch: int | None, pre: str | None
) -> list[Comparator]:
    if major is None:
        return []
    if minor is None:
        return _xrange(major, None, None, None)
    low = _version(major, minor, patch or 0, pre if patch is not None else None)
    if major > 0:
        high = _floor(major + 1)
    elif minor > 0 or patch is None:
        high = _version(0, minor + 1, pre="0")
    else:
        high = _version(0, 0, patch + 1, pre="0")
    return [Comparator(">=", low), Comparator("<", high)]


def _partial_comparator(
    op: str, major: int | None, minor: int | None, patch: int | None, pre: str | None
) -> list[Comparator]:
    if major is None:
        return [Comparator("<", _floor(0))] if op in {"<", ">"} else []
    if minor is not None and patch is not None:
        return [Comparator(op, _version(major, minor, patch, pre))]
    # A partial version stands for its whole series: `>3.1` is `>=3.2.0`, `<=3.1` is `<3.2.0-0`.
    if op == ">":
        bump = _floor(major + 1) if minor is None else _version(major, minor + 1)
        return [Comparator(">=", bump)]
    if op == "<=":
        bump = _floor(major + 1) if minor is None else _version(major, minor + 1, pre="0")
        return [Comparator("<", bump)]
    if op == "<":
        return [Comparator("<", _version(major, minor or 0, pre="0"))]
    return [Comparator(">=", _version(major, minor or 0))]


def _hyphen(low_text: str, high_text: str) -> tuple[Comparator, ...]:
    _, (lmaj, lmin, lpatch), lpre = _split(low_text)
    _, (hmaj, hmin, hpatch), hpre = _split(high_text)
    comparators: list[Comparator] = []
    if lmaj is not None:
        comparators.append(Comparator(">=", _version(lmaj, lmin or 0, lpatch or 0, lpre)))
    if hmaj is not None:
        if hmin is None:
            comparators.append(Comparator("<", _floor(hmaj + 1)))
        elif hpatch is None:
            comparators.append(Comparator("<", _version(hmaj, hmin + 1, pre="0")))
        else:
            comparators.append(Comparator("<=", _version(hmaj, hmin, hpatch, hpre)))
    return tuple(comparators)
