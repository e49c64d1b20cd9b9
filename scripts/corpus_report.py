"""How much of real-world workflows conveyor runs: every step of the reference corpus.

    python scripts/corpus_report.py [--shared DIR] [--markdown]

For each workflow under `<shared>/corpus/<project>/.github/workflows/`, every step is put
in one class: `run` (a `run:` step), `native` (an action conveyor runs itself: a local
composite action or a built-in), `node` (a JavaScript action, which needs its code and
`node`), `docker` (a `docker://` image or a Docker action), `other` (a remote action that
is not built in, which runs from conveyor's action cache once its code is there, or a
reusable workflow in another repository, which conveyor does not run yet). Prints a table per file and the totals,
with the share of `uses:` steps that run natively — the figure to push up.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from conveyor.actions.registry import builtin
from conveyor.errors import UserError
from conveyor.run.uses import action_name
from conveyor.workflow.load import discover_workflows, load_action, load_workflow
from conveyor.workflow.model import Step

KINDS = ("run", "native", "node", "docker", "other")


def classify(step: Step, project: Path) -> str:
    if step.run is not None:
        return "run"
    uses = (step.uses or "").strip()
    if uses.startswith("docker://"):
        return "docker"
    if uses.startswith("./"):
        try:
            action = load_action(project / uses)
        except UserError:
            return "other"
        using = action.runs.using
        if using == "composite":
            return "native"
        return "docker" if using == "docker" else "node"
    if builtin(action_name(uses)) is not None:
        return "native"
    return "other"


def report(shared: Path) -> tuple[list[tuple[str, Counter[str]]], Counter[str]]:
    rows: list[tuple[str, Counter[str]]] = []
    total: Counter[str] = Counter()
    for project in sorted(p for p in (shared / "corpus").iterdir() if p.is_dir()):
        for path in discover_workflows(project):
            workflow = load_workflow(path, root=project)
            counts: Counter[str] = Counter()
            for job in workflow.jobs.values():
                if job.uses:
                    counts["native" if job.uses.startswith("./") else "other"] += 1
                for step in job.steps:
                    counts[classify(step, project)] += 1
            rows.append((f"{project.name}/{path.relative_to(project).as_posix()}", counts))
            total.update(counts)
    return rows, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parents[1]
    parser.add_argument("--shared", type=Path, default=here.parent / "shared")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table per file")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus at {args.shared / 'corpus'}", file=sys.stderr)
        return 2
    rows, total = report(args.shared)
    if args.markdown:
        print("| file | " + " | ".join(KINDS) + " |")
        print("|---|" + "---|" * len(KINDS))
        for name, counts in rows:
            print(f"| {name} | " + " | ".join(str(counts[k]) for k in KINDS) + " |")
    uses = sum(total[k] for k in KINDS if k != "run")
    print(f"files: {len(rows)}; steps: {sum(total.values())}")
    for kind in KINDS:
        print(f"  {kind:7} {total[kind]:5}")
    share = 100 * total["native"] / uses if uses else 0.0
    print(
        f"`uses:` steps (and job-level `uses:`) run natively: {total['native']} of {uses} ({share:.1f}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
