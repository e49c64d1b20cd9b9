"""Reports made by the real tools (coverage.py, pytest, bandit, ruff, pytest-benchmark)
on a small sample project, once per test session.

pip-audit needs the network to look packages up, so its report is a small JSON file in
the shape pip-audit 2.x emits (`PIP_AUDIT_JSON` below); test_findings.py checks it against
pip-audit's own JSON formatter, which runs offline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCES = {
    "src/app/__init__.py": "",
    "src/app/config.py": """\
        import os


        def load(name):
            if name == "prod":
                return {"debug": False}
            return {"debug": True}


        def unused():
            return 1
        """,
    "src/app/core/__init__.py": "",
    "src/app/core/calc.py": """\
        import hashlib
        import subprocess


        def add(a, b):
            return a + b


        def div(a, b):
            if b == 0:
                raise ZeroDivisionError("b")
            return a / b


        def run():
            return subprocess.call("true", shell=True)


        def digest(data):
            return hashlib.md5(data).hexdigest()
        """,
    "tests/__init__.py": "",
    "tests/test_calc.py": """\
        import pytest

        from app.config import load
        from app.core.calc import add, div


        def test_add():
            assert add(1, 2) == 3


        @pytest.mark.parametrize("n", [1, 2])
        def test_param(n):
            assert add(n, 0) == n


        class TestDiv:
            def test_div(self):
                assert div(4, 2) == 2


        def test_fails():
            assert load("prod")["debug"] is True


        @pytest.mark.skip(reason="later")
        def test_skipped():
            pass
        """,
    "bench/test_bench.py": """\
        def test_sum(benchmark):
            benchmark(sum, range(2000))
        """,
}

PIP_AUDIT_JSON = {
    "dependencies": [
        {
            "name": "jinja2",
            "version": "2.10",
            "vulns": [
                {
                    "id": "PYSEC-2019-217",
                    "fix_versions": ["2.10.1"],
                    "aliases": ["CVE-2019-10906", "GHSA-462w-v97r-4m45"],
                    "description": "In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.",
                }
            ],
        },
        {"name": "click", "version": "8.1.7", "vulns": []},
        {"name": "mypkg", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ],
    "fixes": [],
}


@dataclass(frozen=True, slots=True)
class Sample:
    root: Path
    coverage_xml: Path
    junit_xml: Path
    bandit_json: Path
    ruff_json: Path
    ruff_sarif: Path
    bench_json: Path
    pip_audit_json: Path


def _run(root: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "COVERAGE_FILE": str(root / ".coverage")}
    env.pop("COV_CORE_SOURCE", None)
    # under xdist, pytest-benchmark sees the worker's variables and turns itself off
    for name in [k for k in env if k.startswith("PYTEST_XDIST_")]:
        env.pop(name)
    proc = subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode in (0, 1), f"{args}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("sample")
    (root / "pyproject.toml").write_text('[project]\nname = "sample"\nversion = "0"\n')
    for rel, text in SOURCES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    quiet = ("-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly")
    _run(root, "-m", "coverage", "run", "--source=src", "-m", "pytest", "tests", *quiet,
         "--junitxml=reports/junit-unit.xml")  # fmt: skip
    _run(root, "-m", "coverage", "xml", "-o", "coverage.xml")
    _run(root, "-m", "bandit", "-q", "-r", "src", "-f", "json", "-o", "bandit.json")
    ruff = (
        "-m",
        "ruff",
        "check",
        "src",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        "--select",
        "F,E",
    )
    _run(root, *ruff, "--output-format", "json", "-o", "ruff.json")
    _run(root, *ruff, "--output-format", "sarif", "-o", "ruff.sarif")
    _run(root, "-m", "pytest", "bench", *quiet, "--benchmark-json=bench.json",
         "--benchmark-save-data", "--benchmark-min-rounds=20", "--benchmark-max-time=0.05")  # fmt: skip
    (root / "pip-audit.json").write_text(json.dumps(PIP_AUDIT_JSON))
    return Sample(
        root=root,
        coverage_xml=root / "coverage.xml",
        junit_xml=root / "reports/junit-unit.xml",
        bandit_json=root / "bandit.json",
        ruff_json=root / "ruff.json",
        ruff_sarif=root / "ruff.sarif",
        bench_json=root / "bench.json",
        pip_audit_json=root / "pip-audit.json",
    )
