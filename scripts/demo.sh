#!/usr/bin/env bash
# Run conveyor's main job on the bundled example project.
#
# The example is a project of its own, so it gets its own git repository: a copy of
# examples/service in a fresh directory (printed below), committed, then `conveyor run`
# there — exactly what a user does in their own repository. Extra arguments go to
# `conveyor run` (for example: bash scripts/demo.sh --dry-run).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
demo="${CONVEYOR_DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/conveyor-demo.XXXXXX")}"
mkdir -p "$demo"
tar -C "$here/examples/service" --exclude=.mypy_cache --exclude=.ruff_cache \
    --exclude=__pycache__ --exclude=.venv --exclude=.conveyor -cf - . | tar -C "$demo" -xf -
cd "$demo"
if [ ! -d .git ]; then
    git -c init.defaultBranch=main init -q
fi
git add -A
git -c user.name="conveyor demo" -c user.email="demo@example.invalid" \
    commit -q --allow-empty -m "example service"
echo "example project: $demo"
exec conveyor run "$@"
