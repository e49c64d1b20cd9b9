"""Where conveyor keeps what repositories share on this machine: `$CONVEYOR_CACHE_DIR`, else
the platform's user cache directory. The cache store (`caches/`), the action cache
(`actions/`), interpreters and the tool cache all live under it."""

from __future__ import annotations

import os
from pathlib import Path


def cache_base() -> Path:
    override = os.environ.get("CONVEYOR_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir  # imported when first needed: start-up stays short

    return Path(user_cache_dir("conveyor"))
