"""`dorny/paths-filter`: which named groups of files the event changed, from git.

As the action (v2/v3) decides, without GitHub's API:

- `pull_request` / `pull_request_target`: the files changed between the merge base of the
  pull request's base and head and its head (what the pull request's file list shows);
- other events: `base` (default: the default branch) against `ref` (default: the event's
  ref). When they are the same branch, against the commit before the push (`before`); a
  new branch is compared with the default branch, the first push lists every file as
  added; a commit SHA as `base` is compared directly; other names by their merge base.

`filters` is YAML (inline, or a path to a file in the workspace): each filter is a rule or
a list of rules (nested lists from YAML anchors are flattened); a rule is a glob
(picomatch's rules with `dot: true`; `!` negates) or `{status|status: glob(s)}` with
`added`, `modified`, `deleted`, `renamed`, `copied`, `unmerged`. A file passes a filter
when some rule matches it (`predicate-quantifier: every`: all of them). Outputs: `NAME`
(`true`/`false`), `NAME_count`, `NAME_files` (with `list-files`: `csv`, `json`, `shell`,
`escape`), and `changes`, the JSON list of filters that matched.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import note_ignored, warn_unexpected
from conveyor.errors import UserError
from conveyor.events.model import ZERO_SHA
from conveyor.git import is_full_sha

if TYPE_CHECKING:
    from conveyor.git import Git

INPUTS: Final = (
    "token", "working-directory", "ref", "base", "filters", "list-files",
    "initial-fetch-depth", "predicate-quantifier",
)  # fmt: skip
STATUSES: Final = {
    "A": "added", "C": "copied", "D": "deleted", "M": "modified", "R": "renamed",
    "T": "modified", "U": "unmerged",
}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    path: str
    status: str  # added | modified | deleted | …


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    pattern: str
    statuses: frozenset[str] = frozenset()  # empty: any status

    def matches(self, change: Change) -> bool:
        if self.statuses and change.status not in self.statuses:
            return False
        return glob_matches(self.pattern, change.path)


def glob_matches(pattern: str, path: str) -> bool:
    """picomatch with `dot: true`: `*` within a folder, `**` across, braces, `!` negates."""
    from wcmatch import glob

    flags = glob.GLOBSTAR | glob.DOTGLOB | glob.BRACE | glob.EXTGLOB
    if pattern.startswith("!"):
        return not glob.globmatch(path, pattern[1:], flags=flags)
    return bool(glob.globmatch(path, pattern, flags=flags))


def _rules(name: str, value: Any) -> list[Rule]:
    if isinstance(value, str):
        return [Rule(pattern=value)]
    if isinstance(value, list):
        return [rule for item in value for rule in _rules(name, item)]
    if isinstance(value, Mapping):
        rules = []
        for statuses, patterns in value.items():
            wanted = frozenset(s.strip() for s in str(statuses).split("|"))
            unknown = sorted(wanted - set(STATUSES.values()))
            if unknown:
                raise ActionFailed(
                    f"filter `{name}`: unknown change status `{unknown[0]}`",
                    hint="use added, modified, deleted, renamed, copied or unmerged, joined with |",
                )
            for pattern in patterns if isinstance(patterns, list) else [patterns]:
                rules.append(Rule(pattern=str(pattern), statuses=wanted))
        return rules
    raise ActionFailed(f"filter `{name}`: a rule must be a pattern, a list or a mapping")


def parse_filters(text: str, workspace: Path) -> dict[str, list[Rule]]:
    """The `filters` input: inline YAML, or the path of a YAML file in the workspace."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    source = text
    if "\n" not in text.strip() and text.strip() and ":" not in text:
        file = workspace / text.strip()
        if not file.is_file():
            raise ActionFailed(
                f"filters file {text.strip()} does not exist in the workspace",
                hint="give the filters inline as YAML, or the path of a YAML file",
            )
        try:
            source = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ActionFailed(f"cannot read the filters file {text.strip()}: {exc}") from None
    try:
        loaded = YAML(typ="safe").load(source)
    except YAMLError as exc:
        raise ActionFailed(f"input `filters` is not valid YAML: {exc}") from None
    if not isinstance(loaded, Mapping) or not loaded:
        raise ActionFailed(
            "input `filters` must be a YAML mapping of filter names to patterns",
            hint="for example `src: ['src/**']`",
        )
    return {str(name): _rules(str(name), value) for name, value in loaded.items()}


def parse_name_status(text: str) -> list[Change]:
    """`git diff --name-status -z` output → changes (renames are off: add + delete)."""
    fields = [f for f in text.split("\0") if f != ""]
    changes = []
    index = 0
    while index + 1 < len(fields):
        code, path = fields[index], fields[index + 1]
        index += 2
        if code[:1] in ("R", "C") and index < len(fields):  # a rename has two paths
            path = fields[index]
            index += 1
        changes.append(Change(path=path, status=STATUSES.get(code[:1], "modified")))
    return changes


def short_name(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


def format_files(paths: Sequence[str], how: str) -> str:
    if how == "csv":
        return ",".join(f'"{p}"' if "," in p or '"' in p else p for p in paths)
    if how == "json":
        return json.dumps(list(paths))
    if how == "shell":
        return " ".join(shlex.quote(p) if p else "''" for p in paths)
    return " ".join(re.sub(r"([^\w./-])", r"\\\1", p) for p in paths)  # escape


class PathsFilter:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        note_ignored(call, io, ("token", "initial-fetch-depth"), "changes come from local git")
        how = call.input("list-files", "none").strip() or "none"
        if how not in ("none", "csv", "json", "shell", "escape"):
            raise ActionFailed(
                f"input `list-files` must be none, csv, json, shell or escape, got {how!r}"
            )
        quantifier = call.input("predicate-quantifier", "some").strip() or "some"
        if quantifier not in ("some", "every"):
            raise ActionFailed(
                f"input `predicate-quantifier` must be some or every, got {quantifier!r}"
            )
        workspace = call.workspace / call.input("working-directory").strip()
        filters = parse_filters(call.input("filters"), workspace)
        changes = _changes(call, io, workspace)
        io.log(f"Detected {len(changes)} changed files")
        matched = []
        test = all if quantifier == "every" else any
        for name, rules in filters.items():
            files = [c.path for c in changes if test(rule.matches(c) for rule in rules)]
            hit = bool(files)
            io.outputs[name] = "true" if hit else "false"
            io.outputs[f"{name}_count"] = str(len(files))
            if how != "none":
                io.outputs[f"{name}_files"] = format_files(files, how)
            io.log(
                f"Filter {name} = {str(hit).lower()}" + (f" ({len(files)} files)" if hit else "")
            )
            if hit:
                matched.append(name)
        io.outputs["changes"] = json.dumps(matched)
        io.log(f"Changes output set to {io.outputs['changes']}")


def _changes(call: ActionCall, io: ActionIO, workspace: Path) -> list[Change]:
    from conveyor.git import Git

    git = Git(call.repo or workspace)
    github = call.github
    event: Mapping[str, Any] = github.get("event") or {}
    try:
        if github.get("event_name") in ("pull_request", "pull_request_target"):
            pull = event.get("pull_request") or {}
            base = str((pull.get("base") or {}).get("sha") or "")
            head = str((pull.get("head") or {}).get("sha") or github.get("sha") or "")
            io.log(f"Changes will be detected between {base[:12]} and {head[:12]} (merge base)")
            return _diff(git, f"{base}...{head}")
        return _push_changes(call, io, git, event)
    except UserError as exc:
        raise ActionFailed(f"cannot list the changed files: {exc.message}") from None


def _push_changes(
    call: ActionCall, io: ActionIO, git: Git, event: Mapping[str, Any]
) -> list[Change]:
    github = call.github
    repository = event.get("repository") or {}
    default_branch = str(repository.get("default_branch") or "")
    head = short_name(call.input("ref").strip() or str(github.get("ref") or ""))
    base = short_name(call.input("base").strip() or default_branch)
    if not head or not base:
        raise ActionFailed(
            "cannot tell which changes to look at: no `ref` and no `base`",
            hint="set `base:` to the branch to compare with",
        )
    sha = str(github.get("sha") or "HEAD")
    head_rev = sha if head == short_name(str(github.get("ref") or "")) else _rev(git, head)
    if is_full_sha(base) or base == head:
        before = base if is_full_sha(base) else str(event.get("before") or "")
        if not before:
            io.warnings.append(
                "'before' field is missing in event payload - changes will be detected from last commit"
            )
            return _diff(git, f"{head_rev}~1", head_rev)
        if before == ZERO_SHA:
            if default_branch and base != default_branch:
                io.log(
                    f"First push of a branch detected - changes will be detected against the default branch {default_branch}"
                )
                return _diff(git, f"{_rev(git, default_branch)}...{head_rev}")
            io.log("Initial push detected - all files will be listed as added")
            return [Change(path=p, status="added") for p in git.tree_paths(head_rev)]
        io.log(f"Changes will be detected between {before[:12]} and {head}")
        return _diff(git, before, head_rev)
    io.log(f"Changes will be detected between {base} and {head}")
    return _diff(git, f"{_rev(git, base)}...{head_rev}")


def _rev(git: Git, name: str) -> str:
    for candidate in (name, f"origin/{name}", f"refs/tags/{name}"):
        found = git.rev(candidate)
        if found:
            return found
    raise ActionFailed(
        f"`{name}` is not a branch, tag or commit of this repository",
        hint="set `base:` (or `ref:`) to a branch, tag or SHA that exists locally",
    )


def _diff(git: Git, *revisions: str) -> list[Change]:
    return parse_name_status(git.run("diff", "--no-renames", "--name-status", "-z", *revisions))
