"""`[tool.conveyor.gates]`: read, validated, and turned into frozen policy records.

Every mistake names the file and the key, says what is allowed, and offers "did you
mean …?" for unknown keys. A gate whose table is absent is `None` and is not run.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from conveyor.errors import PolicyError

GATES = ("coverage", "tests", "security", "performance", "lint")
SEVERITIES = ("critical", "high", "medium", "low", "info")
PREFIX = "tool.conveyor.gates"


@dataclass(frozen=True, slots=True, kw_only=True)
class Exemption:
    """A waiver (rule, vulnerability or test id) or a quarantined test."""

    id: str
    reason: str
    owner: str | None = None
    expires: date | None = None  # inclusive: valid through that day

    def expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def describe(self) -> str:
        owner = f", owner {self.owner}" if self.owner else ""
        until = f", until {self.expires.isoformat()}" if self.expires else ""
        return f"{self.id} ({self.reason}{owner}{until})"


@dataclass(frozen=True, slots=True, kw_only=True)
class CoveragePolicy:
    reports: tuple[str, ...]
    fail_under: float | None = None
    warn_under: float | None = None
    patch_fail_under: float | None = None
    patch_warn_under: float | None = None
    max_drop: float | None = None
    modules: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TestsPolicy:
    __test__ = False

    reports: tuple[str, ...]
    min_pass_rate: float | None = None
    min_tests: int | None = None
    quarantine: tuple[Exemption, ...] = ()
    release_after: int = 10  # passes in a row before a quarantined test is suggested for release


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityPolicy:
    reports: tuple[str, ...]
    max: Mapping[str, int]
    unknown_severity: str = "high"
    new_only: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PerformancePolicy:
    reports: tuple[str, ...]
    baseline: str | None = None  # a pytest-benchmark JSON path, or "branch:NAME"
    max_regression: float = 0.10  # a fraction of the baseline mean
    significance: float = 0.05  # Mann-Whitney U one-sided p-value needed to call it real
    min_samples: int = 5  # raw samples per side before the statistical test is used


@dataclass(frozen=True, slots=True, kw_only=True)
class LintPolicy:
    reports: tuple[str, ...]
    max_errors: int | None = None
    max_warnings: int | None = None  # None: warnings are counted and never fail


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    file: str
    coverage: CoveragePolicy | None = None
    tests: TestsPolicy | None = None
    security: SecurityPolicy | None = None
    performance: PerformancePolicy | None = None
    lint: LintPolicy | None = None
    waivers: tuple[Exemption, ...] = ()

    @property
    def configured(self) -> tuple[str, ...]:
        return tuple(name for name in GATES if getattr(self, name) is not None)


# ---------------------------------------------------------------------- reading the file


def load_policy(root: Path, config: Path | None = None) -> Policy:
    """The gate policy of the project at `root`, from `config` or its own files."""
    if config is not None:
        path = config if config.is_absolute() else root / config
        if not path.is_file():
            raise PolicyError("config file not found", file=str(config))
        table = _gates_table(_read_toml(path, str(config)), str(config))
        if table is None:
            raise PolicyError(
                f"has no `[{PREFIX}]` table",
                file=str(config),
                hint=f'add e.g. `[{PREFIX}.coverage]` with `reports = ["coverage.xml"]`',
            )
        return parse_policy(table, file=str(config))
    for name in (".conveyor.toml", "pyproject.toml"):
        path = root / name
        if path.is_file():
            table = _gates_table(_read_toml(path, name), name)
            if table is not None:
                return parse_policy(table, file=name)
    return Policy(file="pyproject.toml")


def _read_toml(path: Path, shown: str) -> Mapping[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"not valid TOML: {exc}", file=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read: {exc}", file=shown) from None


def _gates_table(data: Mapping[str, object], file: str) -> Mapping[str, object] | None:
    """`[tool.conveyor.gates]`, or `[gates]` at the top of a conveyor-only file."""
    node: object = data
    for part in ("tool", "conveyor", "gates"):
        node = node.get(part) if isinstance(node, Mapping) else None
    if node is None and isinstance(data.get("gates"), Mapping):
        node = data["gates"]
    if node is None:
        return None
    if not isinstance(node, Mapping):
        raise PolicyError("must be a table", file=file, key=PREFIX)
    return node


# ---------------------------------------------------------------------- validation


class _Table:
    """One policy table: typed accessors that name the key in every error."""

    def __init__(self, file: str, key: str, data: object, allowed: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise PolicyError("must be a table", file=file, key=key)
        self.file, self.key, self.data = file, key, data
        for name in data:
            if name not in allowed:
                close = difflib.get_close_matches(str(name), allowed, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"allowed: {', '.join(allowed)}"
                raise PolicyError("unknown key", file=file, key=f"{key}.{name}", hint=hint)

    def error(self, name: str, message: str) -> PolicyError:
        return PolicyError(message, file=self.file, key=f"{self.key}.{name}")

    def number(self, name: str, *, low: float = 0, high: float | None = None) -> float | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"must be a number, not {value!r}")
        if value < low or (high is not None and value > high):
            upper = f" and {high:g}" if high is not None else ""
            raise self.error(name, f"must be between {low:g}{upper}, not {value!r}")
        return float(value)

    def percent(self, name: str) -> float | None:
        return self.number(name, low=0, high=100)

    def integer(self, name: str, *, low: int = 0) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.error(name, f"must be a whole number ≥ {low}, not {value!r}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, not {value!r}")
        return value

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        value = self.data.get(name, default)
        if value not in choices:
            raise self.error(name, f"must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.error(name, "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, f"must be a non-empty string, not {value!r}")
        return value

    def reports(self) -> tuple[str, ...]:
        value = self.data.get("reports")
        if value is None:
            raise self.error("reports", "is required: a list of report paths or globs")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.error("reports", "must be a non-empty list of paths or globs")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.error("reports", f"must list paths as strings, not {item!r}")
        return tuple(value)


def parse_policy(table: Mapping[str, object], *, file: str) -> Policy:
    """Validate the `[tool.conveyor.gates]` table `table` read from `file`."""
    top = _Table(file, PREFIX, table, (*GATES, "waivers"))
    return Policy(
        file=file,
        coverage=_coverage(file, table["coverage"]) if "coverage" in table else None,
        tests=_tests(file, table["tests"]) if "tests" in table else None,
        security=_security(file, table["security"]) if "security" in table else None,
        performance=_performance(file, table["performance"]) if "performance" in table else None,
        lint=_lint(file, table["lint"]) if "lint" in table else None,
        waivers=_exemptions(top, "waivers"),
    )


def _coverage(file: str, data: object) -> CoveragePolicy:
    keys = ("reports", "fail_under", "warn_under", "patch_fail_under", "patch_warn_under")
    t = _Table(file, f"{PREFIX}.coverage", data, (*keys, "max_drop", "modules"))
    modules = t.data.get("modules", {})
    if not isinstance(modules, Mapping):
        raise t.error("modules", 'must be a table of glob = percent, e.g. { "src/app/*" = 90 }')
    mod = _Table(file, f"{t.key}.modules", modules, tuple(str(k) for k in modules))
    return CoveragePolicy(
        reports=t.reports(),
        fail_under=t.percent("fail_under"),
        warn_under=t.percent("warn_under"),
        patch_fail_under=t.percent("patch_fail_under"),
        patch_warn_under=t.percent("patch_warn_under"),
        max_drop=t.percent("max_drop"),
        modules=tuple((str(k), mod.percent(str(k)) or 0.0) for k in modules),
    )


def _tests(file: str, data: object) -> TestsPolicy:
    allowed = ("reports", "min_pass_rate", "min_tests", "quarantine", "release_after")
    t = _Table(file, f"{PREFIX}.tests", data, allowed)
    return TestsPolicy(
        reports=t.reports(),
        min_pass_rate=t.percent("min_pass_rate"),
        min_tests=t.integer("min_tests"),
        quarantine=_exemptions(t, "quarantine"),
        release_after=t.integer("release_after", low=1) or 10,
    )


def _security(file: str, data: object) -> SecurityPolicy:
    t = _Table(file, f"{PREFIX}.security", data, ("reports", "max", "unknown_severity", "new_only"))
    budget = _Table(file, f"{t.key}.max", t.data.get("max", {}), SEVERITIES)
    limits = {s: budget.integer(s) for s in SEVERITIES}
    return SecurityPolicy(
        reports=t.reports(),
        max={s: n for s, n in limits.items() if n is not None},
        unknown_severity=t.choice("unknown_severity", SEVERITIES, "high"),
        new_only=t.boolean("new_only", False),
    )


def _performance(file: str, data: object) -> PerformancePolicy:
    allowed = ("reports", "baseline", "max_regression", "significance", "min_samples")
    t = _Table(file, f"{PREFIX}.performance", data, allowed)
    baseline = t.text("baseline")
    if baseline is not None and baseline.startswith("branch:") and not baseline[7:].strip():
        raise t.error("baseline", 'names no branch: write "branch:main"')
    return PerformancePolicy(
        reports=t.reports(),
        baseline=baseline,
        max_regression=_regression(t),
        significance=t.number("significance", low=0, high=1) or 0.05,
        min_samples=t.integer("min_samples", low=2) or 5,
    )


def _regression(t: _Table) -> float:
    value = t.data.get("max_regression", "10%")
    text = str(value).strip()
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(text.removesuffix("%")) if isinstance(value, str) else float(text)
    except ValueError:
        raise t.error("max_regression", f'must be a percentage like "10%", not {value!r}') from None
    if number < 0:
        raise t.error("max_regression", f"must not be negative, not {value!r}")
    return number / 100


def _lint(file: str, data: object) -> LintPolicy:
    t = _Table(file, f"{PREFIX}.lint", data, ("reports", "max_errors", "max_warnings"))
    return LintPolicy(
        reports=t.reports(),
        max_errors=t.integer("max_errors"),
        max_warnings=t.integer("max_warnings"),
    )


def _exemptions(parent: _Table, name: str) -> tuple[Exemption, ...]:
    entries = parent.data.get(name, [])
    if not isinstance(entries, list):
        raise parent.error(name, "must be a list of tables (`[[…]]` or `[{ id = …, reason = … }]`)")
    result = []
    for index, entry in enumerate(entries):
        t = _Table(parent.file, f"{parent.key}.{name}[{index}]", entry, _EXEMPTION_KEYS)
        result.append(
            Exemption(
                id=t.text("id", required=True) or "",
                reason=t.text("reason", required=True) or "",
                owner=t.text("owner"),
                expires=_date(t, "expires"),
            )
        )
    return tuple(result)


_EXEMPTION_KEYS = ("id", "reason", "owner", "expires")


def _date(t: _Table, name: str) -> date | None:
    value = t.data.get(name)
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise t.error(name, f"must be a date like 2027-01-31, not {value!r}")
