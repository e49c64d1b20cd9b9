"""How long `conveyor gate` takes on big reports, and how much memory it needs.

Generates a 1,000,000-line Cobertura report and a 20,000-test JUnit file, then parses and
gates each in a fresh process (so peak memory is that case's own), and writes the figures
to benchmarks/results/gate.md. Each case must finish in under 5 s.

    python benchmarks/gate.py            # writes benchmarks/results/gate.md
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from conveyor.gates.context import Context
from conveyor.gates.engine import run_gates
from conveyor.gates.policy import parse_policy

LIMIT_SECONDS = 5.0
COVERAGE_FILES, LINES_PER_FILE = 2_000, 500  # 1,000,000 <line> elements
TESTS = 20_000
RESULTS = Path(__file__).parent / "results" / "gate.md"


def write_cobertura(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            '<?xml version="1.0" ?>\n<coverage version="7.6">\n<sources><source>.</source></sources>\n<packages>\n'
        )
        for package in range(COVERAGE_FILES // 100):
            fh.write(f'<package name="pkg{package}"><classes>\n')
            for module in range(100):
                fh.write(
                    f'<class name="m{module}.py" filename="src/pkg{package}/m{module}.py"><methods/><lines>\n'
                )
                fh.writelines(
                    f'<line number="{n}" hits="{(n * 7 + module) % 5 != 0:d}"/>\n'
                    for n in range(1, LINES_PER_FILE + 1)
                )
                fh.write("</lines></class>\n")
            fh.write("</classes></package>\n")
        fh.write("</packages>\n</coverage>\n")


def write_junit(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            f'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="{TESTS}">\n'
        )
        for n in range(TESTS):
            body = ""
            if n % 1000 == 0:
                body = '<failure message="assert 1 == 2">Traceback …</failure>'
            elif n % 997 == 0:
                body = '<flakyFailure message="timeout"/>'
            elif n % 50 == 0:
                body = '<skipped message="later"/>'
            fh.write(
                f'<testcase classname="tests.test_mod{n // 100}.TestCase" name="test_{n}[p{n % 7}]" time="0.01">{body}</testcase>\n'
            )
        fh.write("</testsuite></testsuites>\n")


CASES = {
    "cobertura": (
        "coverage.xml",
        write_cobertura,
        {
            "coverage": {
                "reports": ["coverage.xml"],
                "fail_under": 60,
                "modules": {"src/pkg1/*": 70},
            }
        },
    ),
    "junit": (
        "junit.xml",
        write_junit,
        {"tests": {"reports": ["junit.xml"], "min_pass_rate": 99, "min_tests": 1}},
    ),
}


def run_case(name: str, root: Path) -> dict[str, object]:
    """Parse and gate one report in this process; time it, then measure the Python heap."""
    policy = parse_policy(CASES[name][2], file="benchmark")
    ctx = Context(root=root, today=date.today())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = run_gates(policy, ctx)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    run_gates(policy, ctx)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gate = outcome.report.gates[0]
    return {
        "seconds": seconds,
        "peak_rss_mib": rss_after / 1024,
        "rss_growth_mib": (rss_after - rss_before) / 1024,
        "heap_peak_mib": heap_peak / 2**20,
        "status": gate.status,
        "figures": dict(gate.figures),
    }


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], Path(sys.argv[3]))))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, (filename, write, _) in CASES.items():
            start = time.perf_counter()
            write(root / filename)
            generate = time.perf_counter() - start
            size = (root / filename).stat().st_size / 2**20
            proc = subprocess.run(
                [sys.executable, __file__, "--case", name, str(root)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(proc.stdout)
            result["generate_seconds"] = generate
            rows.append((name, filename, size, result))
            print(
                f"{name}: generated in {generate:.2f} s, parsed + gated in {result['seconds']:.2f} s, peak RSS {result['peak_rss_mib']:.0f} MiB, {result['figures']}"
            )
    _write(rows)
    slow = [r[0] for r in rows if _total(r[3]) >= LIMIT_SECONDS]
    if slow:  # generating, parsing and gating each report must take under 5 s
        print(f"too slow (≥ {LIMIT_SECONDS} s): {', '.join(slow)}", file=sys.stderr)
        return 1
    return 0


def _total(result: dict[str, object]) -> float:
    return float(str(result["seconds"])) + float(str(result["generate_seconds"]))


def _write(rows: list[tuple[str, str, float, dict[str, object]]]) -> None:
    lines = [
        "# `conveyor gate` on big reports",
        "",
        "Generated by `python benchmarks/gate.py` (each case in a fresh process; limit 5 s each).",
        f"Python {platform.python_version()} on {platform.machine()}, {date.today().isoformat()}.",
        "",
        "| report | size | generate | parse + gate | total | peak RSS (process) | RSS growth | Python heap peak (tracemalloc) | verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    labels = {
        "cobertura": f"Cobertura, {COVERAGE_FILES * LINES_PER_FILE:,} lines in {COVERAGE_FILES:,} files",
        "junit": f"JUnit, {TESTS:,} tests",
    }
    for name, _, size, r in rows:
        lines.append(
            f"| {labels[name]} | {size:.1f} MiB | {float(str(r['generate_seconds'])):.2f} s | {float(str(r['seconds'])):.2f} s "
            f"| {_total(r):.2f} s | {float(str(r['peak_rss_mib'])):.0f} MiB "
            f"| {float(str(r['rss_growth_mib'])):.0f} MiB | {float(str(r['heap_peak_mib'])):.1f} MiB | {r['status']} |"
        )
    lines += ["", "Figures:", ""]
    lines += [f"- {name}: `{json.dumps(r['figures'])}`" for name, _, _, r in rows]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
