"""Events: what happened (a push, a pull request, a dispatch, …), built from git or a payload.

`Event` is the record; the builders read a real git repository through `conveyor.git.Git`:

    push(git, tag=None)                      HEAD's branch (or a tag) as `git push` would send it
    pull_request(git, base="main")           HEAD's branch into `base`, three-dot diff
    workflow_dispatch(git, inputs=..., ref=None)
    schedule(git, cron=None)                 at the default branch
    release(git, tag="v1", action="published")
    default_branch_event(git, "issues", action="opened")
    from_payload_file(git, "push", Path("payload.json"))

`check_dispatch_inputs` types dispatch inputs against a workflow's declared inputs.
"""

from conveyor.events.builders import default_branch_event, release, schedule, workflow_dispatch
from conveyor.events.inputs import check_dispatch_inputs
from conveyor.events.model import ZERO_SHA, Event
from conveyor.events.payload_file import from_payload_file, read_payload
from conveyor.events.pull_requests import pull_request
from conveyor.events.pushes import push
from conveyor.events.repo import RepoInfo, read_repo_info, repo_from_remote_url

__all__ = [
    "ZERO_SHA",
    "Event",
    "RepoInfo",
    "check_dispatch_inputs",
    "default_branch_event",
    "from_payload_file",
    "pull_request",
    "push",
    "read_payload",
    "read_repo_info",
    "release",
    "repo_from_remote_url",
    "schedule",
    "workflow_dispatch",
]
