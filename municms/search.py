"""Full-text search index of the built site with Pagefind (Turkish stemming, static files, no server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import BuildError


def index_site(output: Path) -> None:
    """Write the Pagefind index into output/pagefind/; only elements marked data-pagefind-body are indexed."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--quiet"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise BuildError("Arama dizini oluşturulamadı: " + (result.stderr or result.stdout).strip()[-500:],
                         f"pagefind failed with exit code {result.returncode}")
