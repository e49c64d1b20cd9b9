#!/usr/bin/env bash
# Install the dev dependencies and run every check: lint, types, import contracts, tests.
# pytest's exit code 5 ("no tests collected") is a failure here, never a silent success.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
python -m ruff check src tests benchmarks scripts
python -m ruff format --check src tests benchmarks scripts
python -m mypy
lint-imports
set +e
python -m pytest -n 2 -p no:cacheprovider -p no:benchmark --cov --cov-report=term:skip-covered "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
