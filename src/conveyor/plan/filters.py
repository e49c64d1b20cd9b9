"""Trigger filters: does an event start a workflow, and why (or why not).

GitHub's filter patterns (workflow syntax, "Filter pattern cheat sheet") are not fnmatch:
`*` stays within one `/` segment, `**` crosses them (`**/` also matches no directory),
`?` and `+` mean "zero or one" / "one or more" *of the preceding character*, `[]` is a
character set with ranges, `\\` escapes, and a leading `!` negates. Patterns are evaluated
in order and the last one that matches decides, so a list that starts with `!` matches
nothing until a positive pattern does.

The rules of `on.<event>` filters, as GitHub documents them:

- `branches`/`branches-ignore`, `tags`/`tags-ignore`, `paths`/`paths-ignore`: never both
  forms of one pair. A push of a tag is judged by the tag filters only, a push of a branch
  by the branch filters only; when only the other kind is filtered, the push does not run
  the workflow. `pull_request` branch filters match the base branch.
- `paths` runs the workflow when at least one changed file matches; `paths-ignore` skips
  it only when every changed file is ignored. Path filters are not evaluated for tag
  pushes; with no changed file the workflow does not run; GitHub looks at the first 300
  changed files only; when the changes are unknown (more than 1,000 commits, no diff) it
  runs the workflow.
- `types`: an activity type not listed does not run the workflow; without `types`,
  `pull_request` and `pull_request_target` run for opened, synchronize and reopened, and
  every other event for all its types.

The `Decision.reason` is for people: `conveyor list` shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from conveyor.events.model import Event
from conveyor.workflow.model import Trigger, Workflow

DEFAULT_TYPES: dict[str, tuple[str, ...]] = {
    "pull_request": ("opened", "synchronize", "reopened"),
    "pull_request_target": ("opened", "synchronize", "reopened"),
}
"""Activity types that run a workflow when its trigger lists no `types` (others: all)."""

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
PATH_FILTERED_EVENTS = frozenset({"push", "pull_request", "pull_request_target"})
MAX_DIFF_FILES = 300
"""GitHub matches path filters against the first 300 files of the diff only."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """Whether an event starts a workflow, and the reason a user reads."""

    matches: bool
    reason: str


# ------------------------------------------------------------------ patterns ---


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression for one filter pattern (without its leading `!`)."""
    atoms: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            i = _star(pattern, i, atoms)
        elif char in "?+" and atoms:
            atoms[-1] = f"(?:{atoms[-1]}){char}"
            i += 1
        elif char == "[":
            i = _char_set(pattern, i, atoms)
        elif char == "\\" and i + 1 < len(pattern):
            atoms.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            atoms.append(re.escape(char))
            i += 1
    return re.compile("".join(atoms), re.DOTALL)


def _star(pattern: str, i: int, atoms: list[str]) -> int:
    if pattern.startswith("**/", i):
        atoms.append("(?:.*/)?")
        i += 3
    elif pattern.startswith("**", i):
        atoms.append(".*")
        i += 2
    else:
        atoms.append("[^/]*")
        i += 1
    while i < len(pattern) and pattern[i] in "?+":  # `*?`, `*+` add nothing to a star
        i += 1
    return i


def _char_set(pattern: str, i: int, atoms: list[str]) -> int:
    end = pattern.find("]", i + 1)
    if end <= i + 1:  # no closing bracket, or `[]`: a literal `[`
        atoms.append(re.escape("["))
        return i + 1
    body = pattern[i + 1 : end]
    parts: list[str] = []
    j = 0
    while j < len(body):
        if j + 2 < len(body) and body[j + 1] == "-":
            parts.append(f"{re.escape(body[j])}-{re.escape(body[j + 2])}")
            j += 3
        else:
            parts.append(re.escape(body[j]))
            j += 1
    atoms.append(f"[{''.join(parts)}]")
    return end + 1


def pattern_matches(pattern: str, value: str) -> bool:
    """Whether one pattern (without `!`) matches the whole of `value`."""
    return compile_pattern(pattern).fullmatch(value) is not None


def deciding_pattern(patterns: Sequence[str], value: str) -> str | None:
    """The positive pattern that decides a match (last match wins), or None for no match."""
    verdict: str | None = None
    for pattern in patterns:
        if pattern.startswith("!"):
            if pattern_matches(pattern[1:], value):
                verdict = None
        elif pattern_matches(pattern, value):
            verdict = pattern
    return verdict


# ------------------------------------------------------------------- filters ---


def match_filters(trigger: Trigger, event: Event) -> Decision:
    """Whether `event` passes every filter of `trigger`, with the deciding reason(s)."""
    if trigger.event != event.name:
        return Decision(
            matches=False, reason=f"the trigger is `{trigger.event}`, not `{event.name}`"
        )
    reasons: list[str] = []
    for check in (_types, _refs, _paths, _workflows, _schedule):
        decision = check(trigger, event)
        if decision is None:
            continue
        if not decision.matches:
            return decision
        reasons.append(decision.reason)
    return Decision(matches=True, reason="; ".join(reasons) or f"`{event.name}` has no filters")


def select_triggered(
    workflows: Iterable[Workflow], event: Event
) -> list[tuple[Workflow, Decision]]:
    """Every workflow, in the given order, with whether `event` starts it and why."""
    result: list[tuple[Workflow, Decision]] = []
    for workflow in workflows:
        trigger = workflow.triggers.get(event.name)
        if trigger is None:
            listed = ", ".join(workflow.triggers) or "nothing"
            decision = Decision(
                matches=False, reason=f"not triggered by `{event.name}` (on: {listed})"
            )
        else:
            decision = match_filters(trigger, event)
        result.append((workflow, decision))
    return result


def _types(trigger: Trigger, event: Event) -> Decision | None:
    if event.action is None:
        return None
    allowed, note = trigger.types, ""
    if allowed is None:
        allowed, note = DEFAULT_TYPES.get(event.name), " (GitHub's default)"
    if allowed is None:
        return None
    found = event.action in allowed
    verb = "is in" if found else "not in"
    reason = f"activity type `{event.action}` {verb} types {_listing(allowed)}{note}"
    return Decision(matches=found, reason=reason)


def _refs(trigger: Trigger, event: Event) -> Decision | None:
    if event.name == "push" and event.ref_type == "tag":
        tags = (trigger.tags, trigger.tags_ignore)
        return _ref_filter("tag", event.ref_name, "tags", tags, other=_given(trigger, "branches"))
    if event.name == "push":
        branches = (trigger.branches, trigger.branches_ignore)
        return _ref_filter(
            "branch", event.ref_name, "branches", branches, other=_given(trigger, "tags")
        )
    if event.name in PULL_REQUEST_EVENTS:
        branches = (trigger.branches, trigger.branches_ignore)
        return _ref_filter("base branch", event.base_ref, "branches", branches, other=None)
    if event.name == "workflow_run":
        run = event.payload.get("workflow_run") or {}
        head = str(run.get("head_branch") or "")
        branches = (trigger.branches, trigger.branches_ignore)
        return _ref_filter("head branch", head, "branches", branches, other=None)
    return None


def _given(trigger: Trigger, key: str) -> str | None:
    """The filter key of the other ref kind that is given, if any (`tags`, `tags-ignore`)."""
    include, ignore = (
        (trigger.tags, trigger.tags_ignore)
        if key == "tags"
        else (trigger.branches, trigger.branches_ignore)
    )
    if include is not None:
        return key
    return f"{key}-ignore" if ignore is not None else None


def _ref_filter(
    what: str,
    name: str,
    key: str,
    filters: tuple[tuple[str, ...] | None, tuple[str, ...] | None],
    *,
    other: str | None,
) -> Decision | None:
    include, ignore = filters
    if include is not None and ignore is not None:
        return Decision(matches=False, reason=f"`{key}` and `{key}-ignore` cannot both be given")
    subject = f"{what} `{name}`"
    if include is None and ignore is None:
        if other is None:
            return None
        reason = f"{subject} is pushed, but the workflow filters only `{other}` (no `{key}`)"
        return Decision(matches=False, reason=reason)
    if include is not None:
        pattern = deciding_pattern(include, name)
        if pattern is None:
            return Decision(matches=False, reason=f"{subject} not in {key} {_listing(include)}")
        return Decision(matches=True, reason=f"{subject} matches `{pattern}` in {key}")
    assert ignore is not None
    pattern = deciding_pattern(ignore, name)
    if pattern is not None:
        reason = f"{subject} matches `{pattern}` in {key}-ignore"
        return Decision(matches=False, reason=reason)
    return Decision(matches=True, reason=f"{subject} not in {key}-ignore {_listing(ignore)}")


def _paths(trigger: Trigger, event: Event) -> Decision | None:
    include, ignore = trigger.paths, trigger.paths_ignore
    if (include is None and ignore is None) or event.name not in PATH_FILTERED_EVENTS:
        return None
    if include is not None and ignore is not None:
        return Decision(matches=False, reason="`paths` and `paths-ignore` cannot both be given")
    if event.ref_type == "tag" and event.name == "push":
        return Decision(matches=True, reason="path filters are not evaluated for tag pushes")
    changed = event.changed_paths
    if changed is None:
        reason = "changed paths are unknown, so path filters pass (GitHub runs the workflow when it has no diff)"
        return Decision(matches=True, reason=reason)
    if not changed:
        return Decision(matches=False, reason="no files changed, so path filters do not pass")
    considered = changed[:MAX_DIFF_FILES]
    note = (
        f" (GitHub looks at the first {MAX_DIFF_FILES} changed files only)"
        if len(changed) > MAX_DIFF_FILES
        else ""
    )
    count = _count(len(considered), "changed path")
    if include is not None:
        for path in considered:
            pattern = deciding_pattern(include, path)
            if pattern is not None:
                return Decision(matches=True, reason=f"`{path}` matches `{pattern}` in paths")
        none = "the only changed path does not" if len(considered) == 1 else f"none of the {count}"
        reason = f"{none} match paths {_listing(include)}{note}"
        return Decision(matches=False, reason=reason)
    assert ignore is not None
    for path in considered:
        if deciding_pattern(ignore, path) is None:
            return Decision(matches=True, reason=f"`{path}` is not in paths-ignore")
    every = "the only changed path matches" if len(considered) == 1 else f"all {count} match"
    return Decision(matches=False, reason=f"{every} paths-ignore {_listing(ignore)}{note}")


def _workflows(trigger: Trigger, event: Event) -> Decision | None:
    if event.name != "workflow_run" or trigger.workflows is None:
        return None
    run = event.payload.get("workflow_run") or {}
    name = str(run.get("name") or "")
    found = name in trigger.workflows
    verb = "is in" if found else "not in"
    return Decision(
        matches=found, reason=f"workflow `{name}` {verb} workflows {_listing(trigger.workflows)}"
    )


def _schedule(trigger: Trigger, event: Event) -> Decision | None:
    cron = event.payload.get("schedule")
    if event.name != "schedule" or not cron or not trigger.crons:
        return None
    found = cron in trigger.crons
    verb = "is one of" if found else "is not one of"
    return Decision(matches=found, reason=f"schedule `{cron}` {verb} {_listing(trigger.crons)}")


def _listing(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
