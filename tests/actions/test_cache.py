from __future__ import annotations

import shutil

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.cache import Cache, CacheRestore, CacheSave
from conveyor.actions.registry import builtin, post_step
from conveyor.errors import UserError

from .conftest import Job, run_main, run_post

INPUTS = {"path": "deps\n!deps/skip", "key": "deps-linux-abc", "restore-keys": "deps-linux-\n"}


def fill(job: Job) -> None:
    (job.workspace / "deps").mkdir()
    (job.workspace / "deps" / "lib.txt").write_text("cached\n")
    (job.workspace / "deps" / "skip").write_text("no\n")


def save_via_post(job: Job, inputs: dict[str, str], **changes: object) -> None:
    call = job.call("actions/cache@v4", inputs, **changes)
    io = run_main(Cache(), call)
    run_post(Cache(), call, io.state)


def test_post_step_runs_only_on_success() -> None:
    post = post_step(builtin("actions/cache") or Cache())
    assert post is not None
    assert post.condition == "success()"
    assert post_step(CacheRestore()) is None
    assert post_step(CacheSave()) is None


def test_miss_then_save_in_post_then_exact_hit(job: Job) -> None:
    fill(job)
    call = job.call("actions/cache@v4", INPUTS)
    io = run_main(Cache(), call)
    assert io.outputs == {
        "cache-hit": "false",
        "cache-primary-key": "deps-linux-abc",
        "cache-matched-key": "",
    }
    post = run_post(Cache(), call, io.state)
    assert "Cache saved with key: deps-linux-abc" in post.lines
    shutil.rmtree(job.workspace / "deps")
    io = run_main(Cache(), call)
    assert io.outputs["cache-hit"] == "true"
    assert (job.workspace / "deps" / "lib.txt").read_text() == "cached\n"
    assert not (job.workspace / "deps" / "skip").exists()
    post = run_post(Cache(), call, io.state)
    assert any("Cache hit occurred on the primary key" in line for line in post.lines)


def test_restore_key_prefix_is_not_a_hit_and_post_saves_the_new_key(job: Job) -> None:
    fill(job)
    save_via_post(job, {**INPUTS, "key": "deps-linux-old"})
    shutil.rmtree(job.workspace / "deps")
    call = job.call("actions/cache@v4", INPUTS)
    io = run_main(Cache(), call)
    assert io.outputs["cache-hit"] == "false"
    assert io.outputs["cache-matched-key"] == "deps-linux-old"
    assert (job.workspace / "deps" / "lib.txt").is_file()
    post = run_post(Cache(), call, io.state)
    assert "Cache saved with key: deps-linux-abc" in post.lines


def test_failed_job_does_not_save(job: Job) -> None:
    fill(job)
    save_via_post(job, INPUTS, job_status="failure")
    io = run_main(CacheRestore(), job.call("actions/cache/restore@v4", INPUTS))
    assert io.outputs["cache-matched-key"] == ""


def test_scopes_feature_branch_sees_default_branch_but_not_siblings(job: Job) -> None:
    fill(job)
    save_via_post(job, INPUTS, github={"ref": "refs/heads/sibling"})
    sibling_view = job.call("actions/cache@v4", INPUTS, github={"ref": "refs/heads/feature"})
    assert run_main(Cache(), sibling_view).outputs["cache-hit"] == "false"
    save_via_post(job, INPUTS)  # on main
    pr = job.call(
        "actions/cache@v4",
        INPUTS,
        github={"ref": "refs/pull/3/merge", "base_ref": "main"},
    )
    assert run_main(Cache(), pr).outputs["cache-hit"] == "true"


def test_lookup_only_restores_nothing(job: Job) -> None:
    fill(job)
    save_via_post(job, INPUTS)
    shutil.rmtree(job.workspace / "deps")
    call = job.call("actions/cache@v4", {**INPUTS, "lookup-only": "true"})
    assert run_main(Cache(), call).outputs["cache-hit"] == "true"
    assert not (job.workspace / "deps").exists()


def test_fail_on_cache_miss(job: Job) -> None:
    call = job.call("actions/cache/restore@v4", {**INPUTS, "fail-on-cache-miss": "true"})
    with pytest.raises(ActionFailed, match="fail-on-cache-miss"):
        run_main(CacheRestore(), call)


def test_other_paths_are_another_entry(job: Job) -> None:
    fill(job)
    save_via_post(job, INPUTS)
    other = job.call("actions/cache/restore@v4", {**INPUTS, "path": "deps"})
    assert run_main(CacheRestore(), other).outputs["cache-hit"] == "false"


def test_save_action_and_existing_entry_warns(job: Job) -> None:
    fill(job)
    call = job.call("actions/cache/save@v4", {"path": "deps", "key": "k1"})
    assert run_main(CacheSave(), call).warnings == []
    io = run_main(CacheSave(), call)
    assert "caches are immutable" in io.warnings[0]


def test_missing_key_and_bad_key(job: Job) -> None:
    with pytest.raises(ActionFailed, match="Input required and not supplied: key"):
        run_main(Cache(), job.call("actions/cache@v4", {"path": "deps"}))
    with pytest.raises(UserError, match="cannot contain commas"):
        run_main(Cache(), job.call("actions/cache@v4", {"path": "deps", "key": "a,b"}))
