from __future__ import annotations

import shutil

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.checkout import Checkout
from conveyor.actions.registry import builtin, post_step

from .conftest import Job, git, make_repo, run_main


def commits(job: Job, where: str = "") -> int:
    return len(git(job.workspace / where, "log", "--format=%H").splitlines())


def test_registered_without_a_post_step() -> None:
    action = builtin("Actions/Checkout")
    assert isinstance(action, Checkout)
    assert post_step(action) is None


def test_default_checkout_is_the_event_commit_with_one_commit_of_history(job: Job) -> None:
    job.repo.commit({"a.txt": "a\n"})
    sha = job.repo.commit({"b.txt": "b\n"})
    assert not (job.workspace / "b.txt").exists()  # the clone was made before
    io = run_main(Checkout(), job.call("actions/checkout@v4"))
    assert io.outputs == {"ref": "refs/heads/main", "commit": sha}
    assert git(job.workspace, "rev-parse", "HEAD") == sha
    assert (job.workspace / "b.txt").read_text() == "b\n"
    assert commits(job) == 1


def test_fetch_depth_zero_gives_full_history(job: Job) -> None:
    job.repo.commit({"a.txt": "a\n"})
    run_main(Checkout(), job.call("actions/checkout@v4"))
    assert commits(job) == 1
    run_main(Checkout(), job.call("actions/checkout@v4", {"fetch-depth": "0"}))
    assert commits(job) == 2


def test_ref_from_the_local_repository_and_path(job: Job) -> None:
    job.repo.git("checkout", "--quiet", "-b", "feature")
    feature = job.repo.commit({"feature.txt": "f\n"})
    job.repo.git("checkout", "--quiet", "main")
    job.repo.git("tag", "v1.0")
    io = run_main(Checkout(), job.call("actions/checkout@v4", {"ref": "feature", "path": "other"}))
    assert io.outputs == {"ref": "feature", "commit": feature}
    assert (job.workspace / "other" / "feature.txt").is_file()
    assert not (job.workspace / "feature.txt").exists()
    io = run_main(Checkout(), job.call("actions/checkout@v4", {"ref": "v1.0", "path": "tagged"}))
    assert io.outputs["commit"] == job.repo.git("rev-parse", "v1.0")


def test_ref_not_in_the_local_repository_fails_with_a_hint(job: Job) -> None:
    with pytest.raises(ActionFailed, match="not in the local repository") as caught:
        run_main(Checkout(), job.call("actions/checkout@v4", {"ref": "refs/pull/7/merge"}))
    assert "git fetch origin refs/pull/7/merge" in str(caught.value)


def test_another_repository_is_refused(job: Job) -> None:
    same = job.call("actions/checkout@v4", {"repository": "ACME/widgets"})
    assert run_main(Checkout(), same).outputs["commit"]
    with pytest.raises(ActionFailed, match="another repository") as caught:
        run_main(Checkout(), job.call("actions/checkout@v4", {"repository": "acme/tools"}))
    assert "git clone" in str(caught.value)


def test_path_outside_the_workspace_is_refused(job: Job) -> None:
    with pytest.raises(ActionFailed, match="is not under"):
        run_main(Checkout(), job.call("actions/checkout@v4", {"path": "../elsewhere"}))


def test_clean_removes_untracked_files_when_checking_out_again(job: Job) -> None:
    first = job.repo.git("rev-parse", "HEAD")
    job.repo.commit({"a.txt": "a\n"})
    run_main(Checkout(), job.call("actions/checkout@v4", {"path": "sub"}))
    (job.workspace / "sub" / "junk.txt").write_text("x")
    run_main(Checkout(), job.call("actions/checkout@v4", {"path": "sub", "ref": first}))
    assert not (job.workspace / "sub" / "junk.txt").exists()
    (job.workspace / "sub" / "kept.txt").write_text("x")
    run_main(Checkout(), job.call("actions/checkout@v4", {"path": "sub", "clean": "false"}))
    assert (job.workspace / "sub" / "kept.txt").exists()


def test_credentials_inputs_are_ignored_with_a_debug_note(job: Job) -> None:
    io = run_main(
        Checkout(),
        job.call("actions/checkout@v4", {"token": "t0k", "persist-credentials": "false"}),
    )
    assert any("`token`" in line for line in io.debug)
    assert any("`persist-credentials`" in line for line in io.debug)
    assert not io.warnings


def test_unknown_input_warns(job: Job) -> None:
    io = run_main(Checkout(), job.call("actions/checkout@v4", {"fetch_depth": "0"}))
    assert "Unexpected input(s) 'fetch_depth'" in io.warnings[0]


def test_sparse_checkout(job: Job) -> None:
    job.repo.commit({"src/a.py": "", "docs/b.md": "", "top.txt": ""})
    run_main(Checkout(), job.call("actions/checkout@v4", {"path": "s", "sparse-checkout": "src"}))
    assert (job.workspace / "s" / "src" / "a.py").is_file()
    assert not (job.workspace / "s" / "docs").exists()


def test_submodules_from_the_local_clone(job: Job) -> None:
    lib = make_repo(job.root.parent / "lib", {"lib.txt": "lib\n"})
    job.repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        str(lib.path),
        "vendor/lib",
    )
    job.repo.git("commit", "--quiet", "-m", "add submodule")
    io = run_main(Checkout(), job.call("actions/checkout@v4", {"path": "w", "submodules": "true"}))
    assert (job.workspace / "w" / "vendor" / "lib" / "lib.txt").read_text() == "lib\n"
    assert io.outputs["commit"] == job.repo.git("rev-parse", "HEAD")


def test_submodule_without_a_local_clone_fails_with_the_command(job: Job) -> None:
    lib = make_repo(job.root.parent / "lib", {"lib.txt": "lib\n"})
    job.repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        str(lib.path),
        "vendor/lib",
    )
    job.repo.git("commit", "--quiet", "-m", "add submodule")
    git(job.repo.path, "submodule", "deinit", "--quiet", "--force", "vendor/lib")
    shutil.rmtree(job.repo.path / ".git" / "modules")
    with pytest.raises(ActionFailed, match="git submodule update --init vendor/lib"):
        run_main(Checkout(), job.call("actions/checkout@v4", {"path": "w", "submodules": "true"}))


def test_default_checkout_keeps_the_dirty_overlay(job: Job) -> None:
    (job.workspace / "README.md").write_text("edited, not committed\n")
    (job.workspace / "new.txt").write_text("untracked\n")
    run_main(Checkout(), job.call("actions/checkout@v4"))
    assert (job.workspace / "README.md").read_text() == "edited, not committed\n"
    assert (job.workspace / "new.txt").is_file()


def test_checkout_runs_git_through_the_jobs_runner(job: Job) -> None:
    run_main(Checkout(), job.call("actions/checkout@v4", {"path": "p", "fetch-depth": "3"}))
    assert [
        "git",
        "fetch",
        "--quiet",
        "--depth=3",
        str(job.repo.path),
        job.repo.git("rev-parse", "HEAD"),
    ] in job.ran
