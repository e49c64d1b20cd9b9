"""`conveyor run -v | head`: the reader going away does not kill the run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.run.conftest import Project


def test_a_closed_output_pipe_leaves_the_run_to_finish_and_be_recorded(
    project: Project, tmp_path: Path
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          chatty:
            runs-on: ubuntu-latest
            steps:
              - run: sleep 0.5; seq 1 5000
              - run: echo "done=yes" >> "$GITHUB_OUTPUT"
                id: last
        """
    )
    project.commit()
    result = tmp_path / "result.json"
    argv = ["run", "-v", "-C", str(project.root), "--json", str(result)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "conveyor", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("[chatty]")
    proc.stdout.close()  # as `head -1` does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    data = json.loads(result.read_text())
    assert data["status"] == "success"
    assert data["workflows"][0]["jobs"][0]["steps"][1]["outputs"] == {"done": "yes"}
