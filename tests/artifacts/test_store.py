"""Uploading, listing, downloading and pruning artifacts, with real files on disk."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from tests.artifacts.conftest import Clock, files_under

from conveyor.artifacts import ArtifactNotFound, ArtifactStore, copying
from conveyor.errors import UserError

Tree = Callable[[Mapping[str, str]], Path]

BUILD = {
    "dist/app.whl": "wheel",
    "dist/app.tar.gz": "sdist",
    "dist/notes.tmp": "scratch",
    "dist/.env": "TOKEN=secret",
    "cov/unit/coverage.xml": "<unit/>",
    "cov/e2e/coverage.xml": "<e2e/>",
}


@pytest.fixture
def built(make_tree: Tree) -> Path:
    return make_tree(BUILD)


# ------------------------------------------------------------------- upload ---


def test_upload_then_download_by_name(store: ArtifactStore, built: Path, tmp_path: Path) -> None:
    up = store.upload(7, "dist", "dist\n!**/*.tmp", workspace=built)
    assert (up.files, up.size, up.warnings) == (2, len("wheel") + len("sdist"), ())
    assert up.id == 1
    assert len(up.digest) == 64
    assert up.url.startswith("file://")
    assert Path(up.url.removeprefix("file://")).is_dir()

    results = store.download(7, name="dist", dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {"app.whl": "wheel", "app.tar.gz": "sdist"}
    assert [(r.name, r.id, r.path, r.files, r.digest_mismatch) for r in results] == [
        ("dist", 1, tmp_path / "out", 2, False)
    ]


def test_manifest_records_the_artifact(store: ArtifactStore, built: Path, clock: Clock) -> None:
    store.upload(7, "dist", "dist/*.whl", workspace=built, retention_days=5)
    manifest = json.loads((store.root / "7" / "dist" / "manifest.json").read_text())
    assert manifest["name"] == "dist"
    assert manifest["id"] == 1
    assert manifest["size"] == 5
    assert manifest["created"] == clock.now.isoformat()
    assert manifest["expires"] == "2026-01-06T12:00:00+00:00"
    assert [f["path"] for f in manifest["files"]] == ["app.whl"]
    assert manifest["files"][0]["sha256"] == hashlib.sha256(b"wheel").hexdigest()
    assert manifest["digest"] == store.list(7)[0].digest


def test_same_files_give_the_same_digest(store: ArtifactStore, built: Path) -> None:
    first = store.upload(1, "a", "dist/*.whl", workspace=built)
    second = store.upload(2, "a", "dist/app.whl", workspace=built)
    (built / "dist" / "app.whl").write_text("changed")
    third = store.upload(3, "a", "dist/app.whl", workspace=built)
    assert first.digest == second.digest != third.digest


def test_hidden_files_need_include_hidden(
    store: ArtifactStore, built: Path, tmp_path: Path
) -> None:
    store.upload(1, "plain", "dist", workspace=built)
    store.upload(1, "all", "dist", workspace=built, include_hidden=True)
    store.download(1, dest=tmp_path / "out")
    assert ".env" not in files_under(tmp_path / "out" / "plain")
    assert files_under(tmp_path / "out" / "all")[".env"] == "TOKEN=secret"


def test_structure_below_the_common_ancestor_is_kept(
    store: ArtifactStore, built: Path, tmp_path: Path
) -> None:
    store.upload(1, "cov", "cov/unit/coverage.xml\ncov/e2e/", workspace=built)
    store.download(1, name="cov", dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {
        "e2e/coverage.xml": "<e2e/>",
        "unit/coverage.xml": "<unit/>",
    }


# --------------------------------------------------------- if-no-files-found ---


def test_no_files_warns_by_default(store: ArtifactStore, built: Path) -> None:
    up = store.upload(1, "none", "build/*.so", workspace=built)
    assert up.id is None
    assert up.files == 0
    assert up.warnings == (
        "No files were found with the provided path: build/*.so. No artifacts will be uploaded.",
    )
    assert store.list(1) == []


def test_path_is_required(store: ArtifactStore, built: Path) -> None:
    with pytest.raises(UserError, match="`path` is required"):
        store.upload(1, "x", " \n ", workspace=built)


def test_no_files_is_an_error_when_asked(store: ArtifactStore, built: Path) -> None:
    with pytest.raises(UserError, match="No files were found with the provided path: build"):
        store.upload(1, "none", "build", workspace=built, if_no_files_found="error")
    assert store.list(1) == []


def test_no_files_can_be_ignored(store: ArtifactStore, built: Path) -> None:
    up = store.upload(1, "none", "build", workspace=built, if_no_files_found="ignore")
    assert (up.id, up.warnings) == (None, ())


def test_unknown_if_no_files_found_value(store: ArtifactStore, built: Path) -> None:
    with pytest.raises(UserError, match="if-no-files-found") as caught:
        store.upload(1, "x", "dist", workspace=built, if_no_files_found="fail")
    assert caught.value.hint == "use one of: warn, error, ignore"


# ------------------------------------------------------------------- names ---


@pytest.mark.parametrize(
    "name",
    [
        "a/b",
        "a\\b",
        'say "hi"',
        "c:d",
        "<x>",
        "a|b",
        "a*",
        "what?",
        "a\nb",
        "a\rb",
        "",
        "..",
        "a\0b",
    ],
)
def test_invalid_names_are_refused(store: ArtifactStore, built: Path, name: str) -> None:
    with pytest.raises(UserError, match="artifact name"):
        store.upload(1, name, "dist", workspace=built)
    assert not (store.root / "1").exists()


def test_names_with_spaces_dots_and_unicode_are_fine(store: ArtifactStore, built: Path) -> None:
    for name in ("my artifact", ".dotted", "résultats-3.12"):
        store.upload(1, name, "dist/app.whl", workspace=built)
    assert [a.name for a in store.list(1)] == [".dotted", "my artifact", "résultats-3.12"]


def test_file_paths_with_invalid_characters_are_refused(
    store: ArtifactStore, make_tree: Tree
) -> None:
    workspace = make_tree({"out/ok.txt": "ok", "out/a:b.txt": "colon"})
    with pytest.raises(UserError, match="colon") as caught:
        store.upload(1, "out", "out", workspace=workspace)
    assert "`!`" in str(caught.value.hint)
    assert store.upload(1, "out", "out\n!out/a:b.txt", workspace=workspace).files == 1


# ------------------------------------------------------- overwrite (immutability) ---


def test_uploading_a_name_twice_is_an_error(
    store: ArtifactStore, built: Path, tmp_path: Path
) -> None:
    store.upload(1, "dist", "dist/app.whl", workspace=built)
    with pytest.raises(UserError, match="already exists in run 1") as caught:
        store.upload(1, "dist", "dist/app.tar.gz", workspace=built)
    assert "overwrite: true" in str(caught.value.hint)
    store.download(1, name="dist", dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {"app.whl": "wheel"}


def test_overwrite_replaces_with_a_new_id(
    store: ArtifactStore, built: Path, tmp_path: Path
) -> None:
    first = store.upload(1, "dist", "dist/app.whl", workspace=built)
    second = store.upload(1, "dist", "dist/app.tar.gz", workspace=built, overwrite=True)
    assert second.id != first.id
    assert [a.id for a in store.list(1)] == [second.id]
    store.download(1, name="dist", dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {"app.tar.gz": "sdist"}


def test_overwrite_without_an_existing_artifact_uploads(store: ArtifactStore, built: Path) -> None:
    assert store.upload(1, "dist", "dist", workspace=built, overwrite=True).id == 1


def test_the_same_name_in_other_runs_is_independent(store: ArtifactStore, built: Path) -> None:
    store.upload(1, "dist", "dist/app.whl", workspace=built)
    store.upload(2, "dist", "dist/app.tar.gz", workspace=built)
    assert [a.files[0].path for a in store.list(1) + store.list(2)] == ["app.whl", "app.tar.gz"]


def test_ids_are_unique_across_runs(store: ArtifactStore, built: Path) -> None:
    ids = [store.upload(run, name, "dist", workspace=built).id for run in (1, 2) for name in "ab"]
    assert ids == [1, 2, 3, 4]


def test_a_failed_upload_leaves_nothing_behind(
    store: ArtifactStore, make_tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_tree({"out/a.txt": "a", "out/b.txt": "b"})
    real_copy = copying.copy_file

    def copy_then_fail(source: Path, target: Path) -> tuple[str, int]:
        if source.name == "b.txt":
            raise PermissionError(13, "Permission denied")
        return real_copy(source, target)

    monkeypatch.setattr(copying, "copy_file", copy_then_fail)
    with pytest.raises(UserError, match=r"cannot read .*b\.txt.*Permission denied"):
        store.upload(1, "out", "out", workspace=workspace)
    assert store.list(1) == []
    assert list((store.root / ".staging").iterdir()) == []


# ------------------------------------------------ retention and compression ---


def test_retention_defaults_to_90_days(store: ArtifactStore, built: Path, clock: Clock) -> None:
    up = store.upload(1, "a", "dist", workspace=built)
    assert up.expires == clock.now + timedelta(days=90)
    up = store.upload(1, "b", "dist", workspace=built, retention_days=0)
    assert up.expires == clock.now + timedelta(days=90)


def test_retention_above_the_maximum_is_capped_with_a_warning(
    store: ArtifactStore, built: Path, clock: Clock
) -> None:
    up = store.upload(1, "a", "dist", workspace=built, retention_days=400)
    assert up.expires == clock.now + timedelta(days=90)
    assert up.warnings == (
        "Retention days cannot be greater than the maximum allowed retention set "
        "within the repository. Using 90 instead.",
    )


def test_negative_retention_is_refused(store: ArtifactStore, built: Path) -> None:
    with pytest.raises(UserError, match="retention-days"):
        store.upload(1, "a", "dist", workspace=built, retention_days=-1)


def test_expired_artifacts_disappear_and_are_pruned(
    store: ArtifactStore, built: Path, clock: Clock, tmp_path: Path
) -> None:
    store.upload(1, "short", "dist/app.whl", workspace=built, retention_days=1)
    store.upload(1, "long", "dist/app.whl", workspace=built, retention_days=2)
    clock.advance(days=1)
    assert [a.name for a in store.list(1)] == ["long"]
    with pytest.raises(ArtifactNotFound):
        store.download(1, name="short", dest=tmp_path / "out")
    # an expired name can be uploaded again without `overwrite`
    store.upload(1, "short", "dist/app.tar.gz", workspace=built, retention_days=3)
    clock.advance(days=1)
    assert [a.name for a in store.prune()] == ["long"]
    clock.advance(days=2)
    assert [a.name for a in store.prune()] == ["short"]
    assert not (store.root / "1").exists()


def test_compression_level_is_validated_and_recorded(store: ArtifactStore, built: Path) -> None:
    with pytest.raises(UserError, match="compression-level"):
        store.upload(1, "a", "dist", workspace=built, compression_level=10)
    store.upload(1, "a", "dist", workspace=built, compression_level=0)
    assert store.list(1)[0].compression_level == 0


# ----------------------------------------------------------------- download ---


@pytest.fixture
def three(store: ArtifactStore, built: Path) -> ArtifactStore:
    store.upload(5, "cov-unit", "cov/unit/coverage.xml", workspace=built)
    store.upload(5, "cov-e2e", "cov/e2e/coverage.xml", workspace=built)
    store.upload(5, "dist", "dist/*.whl", workspace=built)
    return store


def test_all_artifacts_each_in_its_own_directory(three: ArtifactStore, tmp_path: Path) -> None:
    results = three.download(5, dest=tmp_path / "out")
    assert [r.name for r in results] == ["cov-e2e", "cov-unit", "dist"]
    assert files_under(tmp_path / "out") == {
        "cov-e2e/coverage.xml": "<e2e/>",
        "cov-unit/coverage.xml": "<unit/>",
        "dist/app.whl": "wheel",
    }


def test_pattern_selects_by_name(three: ArtifactStore, tmp_path: Path) -> None:
    three.download(5, pattern="cov-*", dest=tmp_path / "out")
    assert sorted(files_under(tmp_path / "out")) == [
        "cov-e2e/coverage.xml",
        "cov-unit/coverage.xml",
    ]


def test_pattern_with_merge_multiple_puts_all_in_one_directory(
    three: ArtifactStore, tmp_path: Path
) -> None:
    three.download(5, pattern="{cov-e2e,dist}", merge_multiple=True, dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {"coverage.xml": "<e2e/>", "app.whl": "wheel"}


def test_merge_multiple_later_names_win(three: ArtifactStore, tmp_path: Path) -> None:
    three.download(5, pattern="cov-*", merge_multiple=True, dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {"coverage.xml": "<unit/>"}


def test_pattern_matching_nothing_downloads_nothing(three: ArtifactStore, tmp_path: Path) -> None:
    assert three.download(5, pattern="docs-*", dest=tmp_path / "out") == []
    assert not (tmp_path / "out").exists()


def test_name_wins_over_pattern(three: ArtifactStore, tmp_path: Path) -> None:
    results = three.download(5, name="dist", pattern="cov-*", dest=tmp_path / "out")
    assert [r.name for r in results] == ["dist"]
    assert files_under(tmp_path / "out") == {"app.whl": "wheel"}


def test_missing_name_lists_the_available_ones(three: ArtifactStore, tmp_path: Path) -> None:
    with pytest.raises(ArtifactNotFound) as caught:
        three.download(5, name="wheels", dest=tmp_path)
    assert str(caught.value) == (
        "artifact `wheels` not found in run 5\n  hint: run 5 has: cov-e2e, cov-unit, dist"
    )
    assert caught.value.available == ("cov-e2e", "cov-unit", "dist")


def test_missing_name_in_a_run_without_artifacts(store: ArtifactStore, tmp_path: Path) -> None:
    with pytest.raises(ArtifactNotFound, match="run 9 has no artifacts"):
        store.download(9, name="dist", dest=tmp_path)


def test_download_from_another_run(three: ArtifactStore, built: Path, tmp_path: Path) -> None:
    three.upload(6, "dist", "dist/app.tar.gz", workspace=built)
    three.download(5, name="dist", dest=tmp_path / "old")
    three.download(6, name="dist", dest=tmp_path / "new")
    assert files_under(tmp_path / "old") == {"app.whl": "wheel"}
    assert files_under(tmp_path / "new") == {"app.tar.gz": "sdist"}


def test_download_overwrites_existing_files(three: ArtifactStore, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "app.whl").write_text("old")
    (tmp_path / "out" / "keep.txt").write_text("mine")
    three.download(5, name="dist", dest=tmp_path / "out")
    assert files_under(tmp_path / "out") == {"app.whl": "wheel", "keep.txt": "mine"}


def test_a_changed_stored_file_is_reported(three: ArtifactStore, tmp_path: Path) -> None:
    stored = three.list(5)[-1].location / "files" / "app.whl"
    stored.write_text("tampered")
    [result] = three.download(5, name="dist", dest=tmp_path / "out")
    assert result.digest_mismatch


def test_a_manifest_pointing_outside_is_refused(three: ArtifactStore, tmp_path: Path) -> None:
    manifest_path = three.list(5)[-1].location / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"][0]["path"] = "../../escape.txt"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(UserError, match="outside the artifact"):
        three.download(5, name="dist", dest=tmp_path / "out" / "deep")
    assert not (tmp_path / "escape.txt").exists()


def test_runs_lists_runs_with_live_artifacts(three: ArtifactStore, built: Path) -> None:
    three.upload(2, "x", "dist/app.whl", workspace=built)
    assert three.runs() == [2, 5]


def test_an_unfinished_upload_is_invisible(three: ArtifactStore) -> None:
    (three.root / "5" / "half-written").mkdir()
    assert [a.name for a in three.list(5)] == ["cov-e2e", "cov-unit", "dist"]


def test_a_lost_race_for_a_name_is_the_already_exists_error(
    store: ArtifactStore, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # both uploads pass the existence check; the rename into place decides
    monkeypatch.setattr(ArtifactStore, "_current", lambda self, run_id, name: None)
    first = store.upload(1, "dist", "dist/app.whl", workspace=built)
    with pytest.raises(UserError, match="already exists in run 1"):
        store.upload(1, "dist", "dist/app.tar.gz", workspace=built)
    assert [a.id for a in store.list(1)] == [first.id]
    assert list((store.root / ".staging").iterdir()) == []


def test_prune_clears_stale_staging_only(store: ArtifactStore, built: Path) -> None:
    store.upload(1, "dist", "dist/app.whl", workspace=built)
    staging = store.root / ".staging"
    stale, fresh = staging / "crashed", staging / "in-progress"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    assert store.prune() == []
    assert sorted(p.name for p in staging.iterdir()) == ["in-progress"]
    assert [a.name for a in store.list(1)] == ["dist"]


def test_download_into_a_file_is_a_user_error(three: ArtifactStore, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file")
    with pytest.raises(UserError, match="cannot write"):
        three.download(5, name="dist", dest=tmp_path / "taken")


def test_a_stored_file_gone_missing_is_reported(three: ArtifactStore, tmp_path: Path) -> None:
    (three.list(5)[-1].location / "files" / "app.whl").unlink()
    with pytest.raises(UserError, match=r"is damaged: `app\.whl` is missing"):
        three.download(5, name="dist", dest=tmp_path / "out")


def test_a_name_too_long_for_a_directory_is_refused(store: ArtifactStore, built: Path) -> None:
    with pytest.raises(UserError, match=r"too long \(256 bytes\)"):
        store.upload(1, "n" * 256, "dist/app.whl", workspace=built)
    assert store.upload(1, "n" * 255, "dist/app.whl", workspace=built).files == 1


def test_concurrent_uploads_get_distinct_ids(store: ArtifactStore, built: Path) -> None:
    names = [f"leg-{n}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda name: store.upload(1, name, "dist", workspace=built), names))
    assert sorted(r.id or 0 for r in results) == list(range(1, 9))
    assert [a.name for a in store.list(1)] == names


def test_concurrent_uploads_of_one_name_store_exactly_one(
    store: ArtifactStore, built: Path
) -> None:
    def upload(_: int) -> str:
        try:
            store.upload(1, "dist", "dist", workspace=built)
        except UserError as exc:
            return exc.message
        return "stored"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(upload, range(6)))
    assert outcomes.count("stored") == 1
    assert set(outcomes) == {"stored", "an artifact named `dist` already exists in run 1"}
    assert len(store.list(1)) == 1
