"""The workflow validator: every rule GitHub applies before running, and a few it should.

    check_paths(paths, *, root) -> list[Diagnostic]

checks workflow files (or directories of them) and the local actions and reusable
workflows they use, and returns sorted `Diagnostic` records (file, line, column, rule,
message, severity, hint). It never raises for a user's file, whatever its bytes. `RULES`
maps each rule id to its one-line description; `discover(paths)` lists the files a run
would check. Rendering is the caller's business.
"""

from __future__ import annotations

from conveyor.workflow.checks.diagnostic import RULES, Diagnostic
from conveyor.workflow.checks.files import check_paths, discover

__all__ = ["RULES", "Diagnostic", "check_paths", "discover"]
