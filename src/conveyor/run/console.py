"""Show a run to a person: a live line per job on a terminal, prefixed lines elsewhere.

`PlainConsole` prints every output line as `[job] text` — for logs, CI and `--verbose`.
`LiveConsole` keeps one line per job (status, elapsed time, current step) and prints a
failed job's last lines in place. Both end with the same summary table: each job's status
and duration, and the annotations (`file:line`) raised by steps.
"""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from conveyor.run.events import (
    AnnotationAdded,
    JobFinished,
    JobStarted,
    OutputLine,
    RunEvent,
    RunFinished,
    StepFinished,
    StepStarted,
)
from conveyor.run.results import Annotation, RunResult, Status

ICONS: dict[str, tuple[str, str]] = {
    "success": ("✓", "green"),
    "failure": ("✗", "red"),
    "cancelled": ("⊘", "yellow"),
    "skipped": ("–", "dim"),
    "running": ("●", "cyan"),
    "queued": ("…", "dim"),
}
TAIL_LINES = 15


class _Console(Console):
    """A rich console that goes quiet when its reader goes away (`conveyor run -v | head`):
    the run goes on and is recorded, instead of dying in the middle of a step."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        try:  # later writes (and the flush at exit) go nowhere instead of failing again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.file.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def summary_table(result: RunResult, annotations: list[Annotation]) -> Table:
    table = Table(title=f"{result.event}: {result.status}", title_justify="left")
    table.add_column("")
    table.add_column("workflow")
    table.add_column("job")
    table.add_column("status")
    table.add_column("time", justify="right")
    for workflow in result.workflows:
        for job in workflow.jobs:
            icon, style = ICONS[job.status]
            table.add_row(
                Text(icon, style=style),
                workflow.name,
                job.name,
                Text(job.status, style=style),
                _duration(job.duration),
            )
    if annotations:
        table.caption = "\n".join(
            f"{a.level}: {a.job}: {a.where() + ': ' if a.where() else ''}{a.message}"
            for a in annotations
        )
        table.caption_justify = "left"
    return table


@dataclass
class PlainConsole:
    """Prefixed lines, one per output line; no cursor movement."""

    stream: IO[str] | None = None
    console: Console = field(init=False)
    annotations: list[Annotation] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.console = _Console(file=self.stream, highlight=False, soft_wrap=True)

    def __call__(self, event: RunEvent) -> None:
        match event:
            case JobStarted(job=job):
                self.console.print(f"[{job}] ▶ job started", markup=False)
            case StepStarted(job=job, name=name):
                self.console.print(f"[{job}] ▶ {name}", markup=False)
            case OutputLine(job=job, text=text):
                self.console.print(f"[{job}]   {text}", markup=False)
            case StepFinished(job=job, result=step) if step.conclusion != "success":
                why = f": {step.message}" if step.message else ""
                self.console.print(f"[{job}] {step.name}: {step.outcome}{why}", markup=False)
            case AnnotationAdded(annotation=annotation):
                self.annotations.append(annotation)
            case JobFinished(result=job):
                icon = ICONS[job.status][0]
                why = f" — {job.message}" if job.message else ""
                self.console.print(
                    f"[{job.name}] {icon} {job.status} ({_duration(job.duration)}){why}",
                    markup=False,
                )
            case RunFinished(result=result):
                self.console.print(summary_table(result, self.annotations))

    def close(self) -> None:
        """Nothing to stop: plain output holds no live display."""


@dataclass
class _JobLine:
    name: str
    started: float
    status: str = "running"
    step: str = ""
    finished: float | None = None
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))


class LiveConsole:
    """One live line per job; a failed job's last lines printed in place."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or _Console()
        self.jobs: dict[str, _JobLine] = {}
        self.annotations: list[Annotation] = []
        self.live = Live(self._render(), console=self.console, refresh_per_second=8)
        self.live.start()

    def _render(self) -> Table:
        table = Table.grid(padding=(0, 1))
        now = time.monotonic()
        for line in self.jobs.values():
            icon, style = ICONS.get(line.status, ("?", ""))
            elapsed = (line.finished or now) - line.started
            table.add_row(
                Text(icon, style=style),
                Text(line.name, style="bold" if line.status == "running" else ""),
                Text(_duration(elapsed), style="dim"),
                Text(line.step, style="dim"),
            )
        return table

    def __call__(self, event: RunEvent) -> None:
        match event:
            case JobStarted(job=job):
                self.jobs[job] = _JobLine(name=job, started=time.monotonic())
            case StepStarted(job=job, name=name) if job in self.jobs:
                self.jobs[job].step = name
            case OutputLine(job=job, text=text) if job in self.jobs:
                self.jobs[job].tail.append(text)
            case AnnotationAdded(annotation=annotation):
                self.annotations.append(annotation)
            case JobFinished(result=result):
                line = self.jobs.setdefault(
                    result.name, _JobLine(name=result.name, started=time.monotonic())
                )
                line.status, line.finished, line.step = result.status, time.monotonic(), ""
                if result.status == "failure":
                    self._print_failure(line, result.status, result.message)
            case RunFinished(result=result):
                self.live.update(self._render())
                self.live.stop()
                self.console.print(summary_table(result, self.annotations))
                return
        self.live.update(self._render())

    def _print_failure(self, line: _JobLine, status: Status, message: str) -> None:
        self.console.print(Text(f"✗ {line.name} failed{': ' + message if message else ''}", "red"))
        for text in line.tail:
            self.console.print(Text(f"  │ {text}", style="dim"))

    def close(self) -> None:
        if self.live.is_started:
            self.live.stop()
