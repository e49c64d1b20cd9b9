"""The activity `types` GitHub documents for each event ("Events that trigger workflows").

Events missing here (`repository_dispatch`, whose types are the sender's own, and the
project events) are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping

_PULL_REQUEST = (
    "assigned unassigned labeled unlabeled opened edited closed reopened synchronize "
    "converted_to_draft ready_for_review locked unlocked review_requested "
    "review_request_removed auto_merge_enabled auto_merge_disabled milestoned demilestoned "
    "enqueued dequeued"
)
_CREATED_EDITED_DELETED = "created edited deleted"

ACTIVITY_TYPES: Mapping[str, frozenset[str]] = {
    event: frozenset(names.split())
    for event, names in {
        "branch_protection_rule": _CREATED_EDITED_DELETED,
        "check_run": "created rerequested completed requested_action",
        "check_suite": "completed",
        "discussion": "created edited deleted transferred pinned unpinned labeled unlabeled "
        "locked unlocked category_changed answered unanswered",
        "discussion_comment": _CREATED_EDITED_DELETED,
        "issue_comment": _CREATED_EDITED_DELETED,
        "issues": "opened edited deleted transferred pinned unpinned closed reopened assigned "
        "unassigned labeled unlabeled locked unlocked milestoned demilestoned typed untyped",
        "label": _CREATED_EDITED_DELETED,
        "merge_group": "checks_requested",
        "milestone": "created closed opened edited deleted",
        "pull_request": _PULL_REQUEST,
        "pull_request_target": _PULL_REQUEST,
        "pull_request_review": "submitted edited dismissed",
        "pull_request_review_comment": _CREATED_EDITED_DELETED,
        "registry_package": "published updated",
        "release": "published unpublished created edited deleted prereleased released",
        "watch": "started",
        "workflow_run": "completed requested in_progress",
    }.items()
}
