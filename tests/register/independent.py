"""An outsider's recomputation of the publication register from the exported files alone, written from the
README's description (it imports nothing of municms.register)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def exported_lines(site: Path) -> list[bytes]:
    """Every line of the exported JSON Lines files, in the order zincir.json lists them."""
    chain = json.loads((site / "yayin-kaydi" / "zincir.json").read_bytes())
    lines = []
    for name in chain["files"]:
        lines += (site / "yayin-kaydi" / name).read_bytes().splitlines()
    return lines


def recompute(site: Path) -> tuple[str, dict[str, str]]:
    """(hash of the newest record, every file's hash after it); AssertionError where the chain does not hold."""
    previous, files = "0" * 64, {}
    for number, line in enumerate(exported_lines(site), start=1):
        record = json.loads(line)
        # the line is the canonical form: sorted keys, compact separators, UTF-8
        assert line == json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        assert record["seq"] == number
        assert record["previous"] == previous
        for path in record["files"]["removed"]:
            del files[path]
        files.update(record["files"]["changed"])
        listing = "".join(sorted(f"f {path} {digest}\n" for path, digest in files.items()))
        assert record["files"]["tree"] == sha256(listing.encode("utf-8"))
        assert record["files"]["count"] == len(files)
        previous = sha256(line)
    assert json.loads((site / "yayin-kaydi" / "zincir.json").read_bytes())["head"] == previous
    return previous, files


def live_files(site: Path) -> dict[str, str]:
    """The hash of every file served, except the export and surum.json (which a record leaves out)."""
    root = os.path.realpath(site)
    found = {}
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), root)
            if not rel.startswith("yayin-kaydi/") and rel != "surum.json":
                found[rel] = sha256(Path(folder, name).read_bytes())
    return found
