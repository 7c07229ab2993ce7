"""A .docx dropped in an inbox becomes a Markdown submission (mammoth), with a warning listing what was lost.

Front matter comes from the top of the document, in one of two forms:
- a first table of two columns, `anahtar | değer` per row (e.g. `tur | duyuru`, `baslik | …`), or
- the first paragraphs written as `anahtar: değer` lines (`tur: duyuru`), up to the first other paragraph.
The table or the lines are removed from the body. Values are read as text; a value written as a YAML list
(`[ihale, altyapı]`) stays a list. Other simple tables become Markdown pipe tables.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import mammoth
import mammoth.documents as docs

from .attachments import size_tr
from .errors import Problem

# A Word part compresses a few times, a photo not at all; a part expanding more than this is built to explode.
MAX_RATIO = 100
_RATIO_FROM = 1 << 20  # small parts (a few repeated XML lines) may compress well; only large ones are judged

_KEY_LINE = re.compile(r"^\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_KEY = re.compile(r"^[a-z_]+$")


def _text_of(element) -> str:
    if isinstance(element, docs.Text):
        return element.value
    if isinstance(element, docs.Tab):
        return "\t"
    return "".join(_text_of(child) for child in getattr(element, "children", []) or [])


def _split_front_matter(document, pairs: list[tuple[str, str]]):
    """Remove the leading key/value table or lines from the document, collecting them into pairs."""
    children = list(document.children)
    first = next((i for i, c in enumerate(children) if not (isinstance(c, docs.Paragraph) and not _text_of(c).strip())),
                 None)
    if first is None:
        return document
    head = children[first]
    if isinstance(head, docs.Table):
        rows = [[_text_of(cell).strip() for cell in row.children] for row in head.children]
        if rows and all(len(r) >= 2 and _KEY.match(r[0]) for r in rows if any(r)):
            pairs.extend((r[0], r[1]) for r in rows if any(r))
            return document.copy(children=children[:first] + children[first + 1:])
        return document
    end = first
    while end < len(children) and isinstance(children[end], docs.Paragraph):
        match = _KEY_LINE.match(_text_of(children[end]))
        if not match:
            break
        pairs.append(match.groups())
        end += 1
    return document.copy(children=children[:first] + children[end:]) if pairs else document


_SAFE_ANYWHERE = re.compile(r"\\([.(){}!])")
_SAFE_INSIDE = re.compile(r"(?<=\S)\\([-+#])")
_ORDERED = re.compile(r"^(\s*\d+)\.(?=\s)", re.M)


def tidy_escapes(markdown: str) -> str:
    """mammoth escapes every Markdown character of the text; keep only the escapes that change meaning."""
    markdown = _SAFE_INSIDE.sub(r"\1", _SAFE_ANYWHERE.sub(r"\1", markdown))
    return _ORDERED.sub(r"\1\\.", markdown)  # "1. " at a line start would become a list


def _pipe_table(table) -> object | None:
    """A simple table (one paragraph per cell, no merged cells) as one paragraph of Markdown pipe-table rows."""
    rows = [row for row in table.children if isinstance(row, docs.TableRow)]
    cells = [[cell for cell in row.children if isinstance(cell, docs.TableCell)] for row in rows]
    if not rows or any(len(r) != len(cells[0]) or any((c.colspan or 1) > 1 or (c.rowspan or 1) > 1 for c in r)
                       for r in cells):
        return None
    lines = []
    for index, row in enumerate(cells):
        texts = [" ".join(_text_of(cell).split()).replace("|", "/") for cell in row]
        lines.append("| " + " | ".join(texts) + " |")
        if index == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    runs = []
    for line in lines:
        runs += [docs.run([docs.Text(line)]), docs.line_break]
    return docs.paragraph(runs[:-1])


def _yaml_value(value: str) -> str:
    """A value as YAML: a flow list stays a list, anything else is a quoted string."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return value
    return json.dumps(value, ensure_ascii=False)


def _losses(path: Path, document_counts: dict[str, int], messages) -> list[str]:
    """What the Markdown cannot carry: images, comments, tracked changes, headers/footers, tables."""
    lost = []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        body = archive.read("word/document.xml").decode("utf-8", "replace") if "word/document.xml" in names else ""
    if document_counts["images"]:
        lost.append(f"{document_counts['images']} resim (resimleri ayrı dosya olarak klasörle gönderin)")
    if "word/comments.xml" in names:
        lost.append("açıklamalar (yorumlar)")
    if "<w:ins " in body or "<w:del " in body:
        lost.append("izlenen değişiklikler (yalnızca kabul edilmiş hâli alındı)")
    if any(n.startswith(("word/header", "word/footer")) for n in names):
        lost.append("üst bilgi / alt bilgi")
    if document_counts["tables"]:
        lost.append(f"{document_counts['tables']} birleştirilmiş hücreli tablonun biçimi (metni paragraf oldu)")
    unknown = sorted({m.message for m in messages if m.type == "warning" and m.message.startswith("Unrecognised")})
    if unknown:
        lost.append(f"{len(unknown)} tanınmayan biçim/stil")
    return lost


def expansion_problems(path: Path, max_bytes: int) -> list[Problem]:
    """Zip bombs: the parts' expanded sizes as the archive declares them (zipfile never reads past a declared
    size) must add up to at most max_bytes, and no large part may be compressed beyond MAX_RATIO."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    total = sum(part.file_size for part in parts)
    if total > max_bytes:
        return [Problem("", f"Word dosyası açıldığında çok büyük ({size_tr(total)}; en çok {size_tr(max_bytes)}). "
                        "Resimleri ayrı dosya olarak klasörle gönderin ya da metni Markdown olarak kaydedin.",
                        f"docx expands to {total} bytes (limit {max_bytes})")]
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size >= _RATIO_FROM and ratio > MAX_RATIO:
            return [Problem("", f"Word dosyasının içindeki '{part.filename}' olağan dışı sıkıştırılmış (açılınca "
                            f"{ratio} kat büyüyor); güvenli biçimde açılamaz. Belgeyi Word'de yeniden kaydedin ya "
                            "da metni Markdown olarak gönderin.",
                            f"docx part {part.filename} has compression ratio {ratio} (limit {MAX_RATIO})")]
    return []


def docx_to_text(path: Path) -> tuple[str, list[str], int]:
    """Return (Markdown text with a `---` front-matter block, warnings, number of front-matter rows)."""
    pairs: list[tuple[str, str]] = []
    counts = {"images": 0, "tables": 0}

    def transform(document):
        document = _split_front_matter(document, pairs)
        children = []
        for child in document.children:
            if isinstance(child, docs.Table):
                pipe = _pipe_table(child)
                counts["tables"] += pipe is None
                children.append(pipe or child)
            else:
                children.append(child)
        return document.copy(children=children)

    def drop_image(image):  # images are not carried inside the body; they are counted as lost
        counts["images"] += 1
        return []

    with open(path, "rb") as handle:
        result = mammoth.convert_to_markdown(handle, transform_document=transform, convert_image=drop_image)
    body = tidy_escapes(result.value.replace("\r\n", "\n").strip()) + "\n"
    body = re.sub(r"^(\|.*\|) {2}$", r"\1", body, flags=re.M)  # pipe-table rows need no hard line break
    front = "\n".join(f"{key}: {_yaml_value(value)}" for key, value in pairs)
    lost = _losses(path, counts, result.messages)
    warnings = ["Word (.docx) dosyası Markdown'a çevrildi" + (": aktarılamayanlar — " + "; ".join(lost) + "."
                                                              if lost else "; kayıp yok.")]
    return f"---\n{front}\n---\n{body}", warnings, len(pairs)

