"""Whole-file writes: a temp file in the same folder renamed over the target, so readers see old or new."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml


def fsync_path(path: Path) -> None:
    """fsync a file or directory by path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, data: str | bytes, durable: bool = False) -> None:
    """Write target whole or not at all; durable: on disk (file and folder entry) before returning.

    The temp file is hidden and ends in `.tmp`, so cleanup of a killed writer finds it and no reader
    globbing for the real name ever sees it."""
    target = Path(target)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_path(target.parent)


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: the same documents, ~10× faster


def safe_yaml(text: str):
    """yaml.safe_load with libyaml when PyYAML has it (data files read on every build)."""
    return yaml.load(text, Loader=_SAFE_LOADER)
