"""Whether the post step of `actions/cache` saves, as actions/cache decides it.

The post step runs only when the job succeeded (`post-if: success()`), and it does not
save again what was restored by an exact hit on the primary key (compared as actions/cache
compares keys: ignoring case).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class PostDecision:
    save: bool
    reason: str


def post_save_decision(
    *, job_status: str, primary_key: str, matched_key: str | None
) -> PostDecision:
    """`job_status` is the job's status so far: `success`, `failure` or `cancelled`."""
    if job_status != "success":
        return PostDecision(
            save=False, reason=f"The job's status is {job_status}; not saving cache."
        )
    if matched_key is not None and matched_key.casefold() == primary_key.casefold():
        return PostDecision(
            save=False,
            reason=f"Cache hit occurred on the primary key {primary_key}, not saving cache.",
        )
    return PostDecision(save=True, reason="")
