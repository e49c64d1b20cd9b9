"""When the post step of actions/cache saves."""

from __future__ import annotations

from conveyor.cache import post_save_decision


def test_saves_after_a_successful_job_that_missed() -> None:
    assert post_save_decision(job_status="success", primary_key="k", matched_key=None).save


def test_saves_after_a_restore_key_match() -> None:
    assert post_save_decision(job_status="success", primary_key="k-2", matched_key="k-1").save


def test_does_not_save_after_an_exact_hit_compared_ignoring_case() -> None:
    decision = post_save_decision(job_status="success", primary_key="Pip-K", matched_key="pip-k")
    assert not decision.save
    assert decision.reason == "Cache hit occurred on the primary key Pip-K, not saving cache."


def test_does_not_save_when_the_job_failed_or_was_cancelled() -> None:
    for status in ("failure", "cancelled"):
        assert not post_save_decision(job_status=status, primary_key="k", matched_key=None).save
