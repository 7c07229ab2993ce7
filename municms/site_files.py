"""Files a plugin writes into the built site directly (sitemaps, the seminar calendar): written as new files
(temp + rename), only when their bytes change, and recorded in the settings' MUNICMS_OUTPUTS (output path →
whether it was written), so an incremental build knows them as outputs and as changes (and names them in its
journal first: MUNICMS_JOURNAL)."""

from __future__ import annotations

import os

from .incremental.pelican import replace_file


def write_output(settings: dict, output_path: str, rel: str, data: str | bytes) -> None:
    written = replace_file(os.path.join(output_path, rel), data.encode("utf-8") if isinstance(data, str) else data,
                           settings.get("MUNICMS_JOURNAL"))
    outputs = settings.setdefault("MUNICMS_OUTPUTS", {})
    outputs[rel] = outputs.get(rel, False) or written
