"""Limits on a submission's text that keep reading and rendering it bounded in time.

Python-Markdown (the build) recurses once per level of nested emphasis and of nested lists (a few hundred
levels end in RecursionError, failing the whole build) and is quadratic in unclosed '[' of one paragraph
(5,000 of them take minutes). No real document comes near these limits; a file beyond them is refused at
intake with the line it happens on.
"""

from __future__ import annotations

import re

from .attachments import size_tr
from .errors import Problem

MAX_TEXT_BYTES = 1_000_000        # a submission's Markdown (index.md, .md, or the text of a .docx)
MAX_FRONT_MATTER_CHARS = 100_000  # the YAML block: every key is checked and reported one by one
MAX_NESTING = 32                  # block quotes and list levels at the start of a line
MAX_BRACKETS = 32                 # '[' of one paragraph not yet closed by ']'
MAX_EMPHASIS = 64                 # '*' / '_' opened in one paragraph and not yet closed

# '>' and list markers at a line's start, with the spaces between them
_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+")
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?= )")
_BRACKET = re.compile(r"[\[\]]")
_RUN = re.compile(r"[*_]+")


def text_size_problem(size: int) -> Problem | None:
    """The text of a submission over MAX_TEXT_BYTES."""
    if size <= MAX_TEXT_BYTES:
        return None
    return Problem("", f"Metin çok uzun ({size_tr(size)}; en çok {size_tr(MAX_TEXT_BYTES)}). Uzun "
                   "belgeleri PDF eki olarak gönderin ya da birkaç gönderiye bölün.",
                   f"submission text is {size} bytes (limit {MAX_TEXT_BYTES})")


def front_matter_problem(front: str, line: int | None) -> Problem | None:
    if len(front) <= MAX_FRONT_MATTER_CHARS:
        return None
    return Problem("", f"Ön bilgi bloğu çok uzun ({len(front):,} karakter; en çok {MAX_FRONT_MATTER_CHARS:,})."
                   .replace(",", ".") + " Uzun listeleri (ör. değişiklikler) birkaç gönderiye bölün.",
                   f"front matter is {len(front)} characters (limit {MAX_FRONT_MATTER_CHARS})", line)


def _nesting(line: str) -> int:
    """Quotes and list markers at the line's start, plus its indentation in steps of four columns."""
    match = _CONTAINERS.match(line)
    if not match:
        return 0  # an indented line without a marker is a code block or a continuation: read in linear time
    prefix = match.group().replace("\t", "    ")
    return prefix.count(">") + len(_MARKER.findall(prefix)) + prefix.count(" ") // 4


def _emphasis_depth(paragraph: str) -> int:
    """How deep '*'/'_' runs open inside each other: an opener has text after it and none before it."""
    depth = deepest = 0
    for run in _RUN.finditer(paragraph):
        start, end = run.span()
        before = paragraph[start - 1] if start else " "
        after = paragraph[end] if end < len(paragraph) else " "
        if before.isspace() and not after.isspace():
            depth += len(run.group())
            deepest = max(deepest, depth)
        elif after.isspace() and not before.isspace():
            depth = max(0, depth - len(run.group()))
    return deepest


def _bracket_depth(paragraph: str) -> int:
    depth = deepest = 0
    for bracket in _BRACKET.finditer(paragraph):
        depth = depth + 1 if bracket.group() == "[" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def body_problems(lines: list[str], first_line: int | None) -> list[Problem]:
    """Nestings of the body (its lines, the first being line `first_line` of the file) beyond the limits."""
    problems: list[Problem] = []

    def add(index: int, tr: str, en: str) -> None:
        if not any(p.message_en == en for p in problems):  # once per kind: the first place is enough to fix
            problems.append(Problem("metin", tr, en, None if first_line is None else first_line + index))

    start = 0
    for index, line in enumerate(lines + [""]):
        if index < len(lines) and _nesting(line) > MAX_NESTING:
            add(index, f"Metinde iç içe alıntı ('>') ya da liste çok derin (en çok {MAX_NESTING} düzey). "
                "Girintiyi azaltın.", f"quotes/lists nested deeper than {MAX_NESTING}")
        if line.strip():
            continue
        paragraph = "\n".join(lines[start:index])
        if "[" in paragraph and _bracket_depth(paragraph) > MAX_BRACKETS:
            add(start, f"Bir paragrafta kapatılmamış köşeli parantez '[' çok fazla (en çok {MAX_BRACKETS}). "
                "Bağlantıları [metin](adres) biçiminde yazın ya da parantezleri kapatın.",
                f"more than {MAX_BRACKETS} unclosed '[' in one paragraph")
        if ("*" in paragraph or "_" in paragraph) and _emphasis_depth(paragraph) > MAX_EMPHASIS:
            add(start, f"Bir paragrafta iç içe vurgu ('*' ya da '_') çok derin (en çok {MAX_EMPHASIS}). Yıldız ve "
                "alt çizgileri kapatın ya da ters bölü ile yazın (\\*).",
                f"emphasis nested deeper than {MAX_EMPHASIS} in one paragraph")
        start = index + 1
    return problems
