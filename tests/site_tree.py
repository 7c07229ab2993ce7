"""Every file of a built site or of a deployed release (var/current): a release links its shards as symlinked
folders, which Path.rglob does not enter, so a test that reads every file of a site lists them here."""

from __future__ import annotations

import os
from pathlib import Path


def site_files(root: Path, suffix: str = "") -> list[Path]:
    """Every file under root whose name ends with suffix, sorted, following the release's shard symlinks."""
    return sorted(Path(folder) / name for folder, _, names in os.walk(root, followlinks=True)
                  for name in names if name.endswith(suffix))
