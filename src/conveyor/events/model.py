"""The `Event` record: what happened, as the `github` context and trigger filters see it.

Builders (`conveyor.events.builders`, `conveyor.events.payload_file`) make one from a
real git repository or a webhook payload; `conveyor.plan.filters` decides which
workflows it starts. This module is pure data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ZERO_SHA", "Event", "RefType"]

RefType = Literal["branch", "tag", ""]

ZERO_SHA = "0" * 40
"""What GitHub sends as `before` for a new branch or tag (and `after` for a deleted one)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One event, as GitHub would deliver it.

    `ref`/`sha` are `GITHUB_REF`/`GITHUB_SHA`; `action` is the activity type (`opened`,
    `published`, …) or None for events without one (`push`). `changed_paths` is None when
    the changes are unknown (path filters then pass, as GitHub runs the workflow when it
    cannot compute a diff). `payload` is the `github.event` context.
    """

    name: str
    action: str | None = None
    ref: str = ""
    ref_name: str = ""
    ref_type: RefType = ""
    sha: str = ""
    before: str = ""
    base_ref: str = ""
    head_ref: str = ""
    base_sha: str = ""
    changed_paths: tuple[str, ...] | None = None
    inputs: Mapping[str, str] = field(default_factory=dict)
    payload: Mapping[str, Any] = field(default_factory=dict)
    actor: str = ""
    repository: str = ""
    default_branch: str = ""

    @property
    def repository_owner(self) -> str:
        return self.repository.partition("/")[0]
