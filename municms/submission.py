"""Parse and validate one submission (Markdown file, bundle folder with index.md, or .docx); no database.

`parse_submission(path, department, instance)` returns a Submission or raises ValidationError listing every
problem at once, each with its field, line and a Turkish sentence (English for logs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_module
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from .attachments import PHOTO_TYPES, Attachment, inspect_attachment, size_tr
from .docx import docx_to_text, expansion_problems
from .encoding import EncodingProblem, decode_submission
from .errors import Problem, ValidationError
from .markdown_limits import body_problems, front_matter_problem, text_size_problem
from .sanitize import foreign_embeds, sanitise_html
from .submission_types import Reader, as_end, as_start

try:  # the C loader and dumper are much faster; fall back when libyaml is missing
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper
    from yaml import SafeLoader as _BaseLoader

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
BUNDLE_INDEX = "index.md"
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


class _Loader(_BaseLoader):
    """Safe YAML without implicit timestamps: dates stay text so 2026-02-30 is reported, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Submission:
    """A valid submission, ready to be registered."""

    tur: str
    department: str
    title: str
    front_matter: dict          # normalised, JSON-safe (dates as ISO 8601 text)
    body: str                   # Markdown, HTML fragments sanitised
    source: Path
    source_name: str
    source_sha256: str
    kind: str                   # file | bundle | docx
    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    publish_at: dt.datetime | None = None
    expire_at: dt.datetime | None = None
    kayit_no: str | None = None

    def index_md(self) -> str:
        """The normalised UTF-8 Markdown file stored next to the original."""
        front = yaml.dump(self.front_matter, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        return f"---\n{front}---\n{self.body}"


def source_sha256(path: Path) -> str:
    """Digest of a file's bytes, or of a bundle's relative names and bytes (sorted)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for item in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(item.relative_to(path).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(item.read_bytes()).digest())
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def parse_submission(path: Path, department: str, instance, name: str | None = None) -> Submission:
    """Read, decode and validate one submission; raise ValidationError with every problem found."""
    path = Path(path)
    name = name or path.name
    problems: list[Problem] = []
    warnings: list[str] = []
    kind = "bundle" if path.is_dir() else ("docx" if path.suffix.lower() == ".docx" else "file")
    text, line_offset = _read_text(path, kind, name, warnings, instance.attachments.max_bytes)
    front_text, body, front_problem = split_front_matter(text)
    if front_problem:
        raise ValidationError([front_problem], *_HEADLINE)
    too_long = front_matter_problem(front_text, 1 + line_offset if kind != "docx" else None)
    if too_long:
        raise ValidationError([too_long], *_HEADLINE)
    body_start = front_text.count("\n") + 2 + (1 if front_text else 0)  # the fences, then the block's lines
    nested = body_problems(text.split("\n")[body_start:], body_start + line_offset if kind != "docx" else None)
    data, lines, raw, yaml_problem = load_front_matter(front_text, line_offset)
    if yaml_problem:
        raise ValidationError([yaml_problem], *_HEADLINE)
    reader = Reader(data, lines, raw, department, instance)
    tur = reader.read()
    problems.extend(reader.problems)
    attachments = _attachments(path, kind, reader, instance, problems, warnings)
    problems.extend(nested)
    if problems:  # in the order of the file, so the report reads top to bottom
        raise ValidationError(sorted(problems, key=lambda p: p.line or 0), *_HEADLINE)
    embedded = foreign_embeds(body) if "<" in body else []  # raw HTML images lose their src when sanitised
    body, changed = sanitise_markdown(body)
    if changed:
        warnings.append("Metindeki HTML'den güvenli olmayan kısımlar (betik, stil, olay öznitelikleri vb.) çıkarıldı.")
    removed = [url for url in embedded if url not in foreign_embeds(body)] if embedded else []
    if removed:
        warnings.append(f"Metindeki HTML'de başka bir adresten yüklenen resim ya da ortam vardı, sayfadan "
                        f"çıkarıldı: {', '.join(removed)}. Resmi klasöre koyup 'ekler' listesine ekleyin ya da "
                        "resme bağlantı verin.")
    for attachment in attachments:  # links in the body follow the safe names
        body = body.replace(f"({attachment.original_name})", f"({attachment.name})")
    values = {key: reader.values[key] for key in data if key in reader.values}  # the file's key order
    photo_names = {photo["dosya"] for photo in values.get("fotograflar") or []}
    files = [a.name for a in attachments if a.name not in photo_names]
    if files:
        values["ekler"] = files
    else:
        values.pop("ekler", None)  # every listed file was a photo
    tz = reader.tz
    publish_at = as_start(values["yayin"], tz) if values.get("yayin") else None
    if tur == "organizasyon" and publish_at is None and values.get("yururluk"):
        # the public chart shows what is in force: an organisation change goes live on its effective date
        publish_at = as_start(values["yururluk"], tz)
    expire_at = as_end(values["bitis"], tz) if values.get("bitis") and tur != "seminer" else None
    return Submission(
        tur=tur, department=department, title=values["baslik"], front_matter=_json_safe(values), body=body,
        source=path, source_name=name, source_sha256=source_sha256(path), kind=kind, attachments=attachments,
        warnings=warnings, publish_at=publish_at, expire_at=expire_at, kayit_no=values.get("kayit_no"))


_HEADLINE = ("Gönderi kaydedilemedi; aşağıdaki sorunları düzeltip dosyayı yeniden bırakın.",
             "Submission rejected; every problem is listed.")


def _read_text(path: Path, kind: str, name: str, warnings: list[str], max_bytes: int) -> tuple[str, int]:
    """The submission's text and how many lines precede the YAML (for line numbers)."""
    links = [path] if path.is_symlink() else [p for p in path.rglob("*") if p.is_symlink()] if kind == "bundle" else []
    if links:  # a link could make intake copy any file of the server into the register
        raise ValidationError([Problem("", "Gönderide kısayol (sembolik bağlantı) var: "
                                       f"{', '.join(name if p == path else p.name for p in links)}. Dosyanın kendisini bırakın.",
                                       "symbolic links are not accepted")], *_HEADLINE)
    source = path / BUNDLE_INDEX if kind == "bundle" else path
    if source.is_file() and source.stat().st_size > max_bytes:  # before anything opens it (a .docx too)
        raise ValidationError([Problem("", f"Dosya çok büyük ({size_tr(source.stat().st_size)}; en çok "
                                       f"{size_tr(max_bytes)}).", "submission too large")], *_HEADLINE)
    if kind != "docx" and source.is_file() and text_size_problem(source.stat().st_size):
        raise ValidationError([text_size_problem(source.stat().st_size)], *_HEADLINE)
    if kind == "docx":
        try:
            bomb = expansion_problems(path, max_bytes)  # before mammoth expands anything
            if not bomb:
                text, docx_warnings, _ = docx_to_text(path)
        except Exception as exc:  # a damaged or mislabelled .docx
            raise ValidationError([Problem("", "Word dosyası açılamadı (bozuk ya da gerçek bir .docx değil). "
                                           "Dosyayı Word'de açıp yeniden kaydedin ya da Markdown olarak gönderin.",
                                           f"cannot read docx: {exc}", None)], *_HEADLINE) from None
        if bomb:
            raise ValidationError(bomb, *_HEADLINE)
        if text_size_problem(len(text.encode("utf-8"))):
            raise ValidationError([text_size_problem(len(text.encode("utf-8")))], *_HEADLINE)
        warnings.extend(docx_warnings)
        return text, 0  # line n of the front matter = row n of the table / paragraph n
    if kind == "bundle" and not source.is_file():
        raise ValidationError([Problem("", f"'{name}' klasöründe {BUNDLE_INDEX} dosyası yok. Klasör gönderimlerinde "
                                       "metin index.md adlı dosyada olmalıdır.", "bundle without index.md")],
                              *_HEADLINE)
    if kind == "file" and path.suffix.lower() not in TEXT_SUFFIXES:
        raise ValidationError([Problem("", f"'{path.suffix or name}' türündeki dosyalar gönderi olarak kabul "
                                       "edilmiyor. Markdown (.md), Word (.docx) ya da index.md içeren bir klasör "
                                       "bırakın; ekleri klasörün içine koyun.", "unsupported file type")],
                              *_HEADLINE)
    try:
        text, encoding_warnings = decode_submission(source.read_bytes())
    except EncodingProblem as exc:
        raise ValidationError([exc.problem], *_HEADLINE) from None
    warnings.extend(encoding_warnings)
    return text, 1


def split_front_matter(text: str) -> tuple[str, str, Problem | None]:
    """(YAML text, body, problem): the block between the first two `---` lines, and what follows."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]) or lines[0].startswith("..."):
        return "", "", Problem("", "Dosya '---' satırıyla başlayan bir ön bilgi bloğuyla başlamalıdır "
                               "(tur, baslik …). Örnek için README'deki 'İçerik gönderme' bölümüne bakın.",
                               "no front matter: the first line must be ---", 1)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]).strip("\n") + "\n", None
    return "", "", Problem("", "Ön bilgi bloğu kapatılmamış: 'tur', 'baslik' gibi satırlardan sonra tek başına "
                           "'---' satırı olmalıdır.", "front matter is not closed with ---", len(lines))


def load_front_matter(text: str, offset: int):
    """(data, line_of(path), raw scalars by path, problem) for the YAML front matter."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return None, None, None, _yaml_problem(exc, offset)
    if not isinstance(data, dict):
        return None, None, None, Problem("", "Ön bilgi bloğu 'anahtar: değer' satırlarından oluşmalıdır "
                                         "(ör. 'tur: duyuru').", "front matter is not a mapping", 1 + offset)
    lines: dict[tuple, int] = {}
    raw: dict[tuple, str] = {}
    def line_of(path: tuple) -> int | None:
        path = tuple(path)
        while path and path not in lines:
            path = path[:-1]
        return lines.get(path)

    try:
        _walk(node, (), lines, raw, offset)
    except _AliasFound as alias:
        return None, None, None, Problem("", "Ön bilgi bloğunda YAML takma adı (*ad) kullanılamaz; değeri açıkça "
                                         "yazın.", "YAML aliases are not accepted", line_of(alias.path))

    return data, line_of, raw, None


_YAML_HINTS = (("quoted scalar", "Tırnak işareti açılmış ama kapatılmamış."),
               ("flow sequence", "Köşeli parantez '[' açılmış ama ']' ile kapatılmamış ya da öğeler virgülle ayrılmamış."),
               ("flow mapping", "Süslü parantez '{' açılmış ama '}' ile kapatılmamış."),
               ("mapping values are not allowed", "Bu satırda fazladan ':' var ya da girinti hatalı; değer ':' "
                                                  "içeriyorsa tırnak içine alın."),
               ("tab", "Girintide sekme (Tab) kullanılmış; boşluk kullanın."))


def _yaml_problem(exc: yaml.YAMLError, offset: int) -> Problem:
    """A YAML syntax error as a Problem on the line where the broken construct starts."""
    context, problem = getattr(exc, "context", None) or "", getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "context_mark", None) if context else None
    mark = mark or getattr(exc, "problem_mark", None)
    hint = next((tr for needle, tr in _YAML_HINTS if needle in f"{context} {problem}"),
                "Yazım hatası var (tırnak, parantez ya da girinti).")
    return Problem("", f"Ön bilgi bloğu geçerli YAML değil: {hint}", f"invalid YAML: {context} {problem}".strip(),
                   mark.line + 1 + offset if mark else None)


class _AliasFound(Exception):
    """A YAML alias (*name) reuses a node: refused, as aliases can blow a small file up exponentially."""

    def __init__(self, path: tuple):
        super().__init__(path)
        self.path = path


def _walk(node, path: tuple, lines: dict, raw: dict, offset: int, seen: set | None = None) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:
        raise _AliasFound(path)
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
            _walk(value_node, path + (key,), lines, raw, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, path + (index,), lines, raw, offset, seen)
    else:
        raw[path] = node.value


def _attachments(path: Path, kind: str, reader: Reader, instance, problems: list[Problem],
                 warnings: list[str]) -> list[Attachment]:
    """Check the files listed in `ekler` (bundles only); note bundle files that were not listed."""
    listed = reader.values.get("ekler") or []
    photos = reader.values.get("fotograflar") or []
    if kind != "bundle":
        for key, given in (("ekler", listed), ("fotograflar", photos)):
            if given:
                problems.append(Problem(key, f"{'Ekler' if key == 'ekler' else 'Fotoğraflar'} yalnızca klasör "
                                        "gönderimlerinde olabilir: metni index.md olarak ve dosyaları aynı klasöre "
                                        "koyup klasörü bırakın.", "attachments need a bundle folder",
                                        reader.line((key,))))
        return []
    attachments: list[Attachment] = []
    taken: set[str] = set()
    photo_files = {photo["dosya"] for photo in photos}
    for index, name in enumerate(listed):
        if name in photo_files:
            continue  # a file named as a photo is a photo (the web form lists every upload in 'ekler')
        found, found_problems, found_warnings = inspect_attachment(
            path, name, instance.attachments, taken, ("ekler", index), reader.line(("ekler", index)))
        problems.extend(found_problems)
        warnings.extend(found_warnings)
        if found:
            attachments.append(found)
    for index, photo in enumerate(photos):  # stored with the attachments; the page shows them as photos
        where = ("fotograflar", index, "dosya")
        found, found_problems, found_warnings = inspect_attachment(
            path, photo["dosya"], instance.attachments, taken, where, reader.line(where))
        if found and found.mime not in PHOTO_TYPES:
            found_problems = [Problem(".".join(map(str, where)), f"'{photo['dosya']}' bir fotoğraf değil; "
                                      "fotoğraflar JPEG, PNG ya da WebP olmalıdır.", "photo is not an image",
                                      reader.line(where))]
        problems.extend(found_problems)
        warnings.extend(found_warnings)
        if found and not found_problems:
            attachments.append(found)
            photo["dosya"] = found.name
    listed = listed + sorted(photo_files)
    if reader.values.get("tur") == "faaliyet-raporu" and attachments and \
            not any(a.mime == "application/pdf" for a in attachments):
        problems.append(Problem("ekler", "Faaliyet raporunun en az bir eki gerçek bir PDF dosyası olmalıdır.",
                                "no attachment is a PDF", reader.line(("ekler",))))
    unlisted = sorted(p.relative_to(path).as_posix() for p in path.rglob("*")
                      if p.is_file() and p.name != BUNDLE_INDEX and not p.name.startswith(".")
                      and p.relative_to(path).as_posix() not in listed)
    if unlisted:
        warnings.append(f"Klasördeki şu dosyalar 'ekler' listesinde olmadığı için eklenmedi: {', '.join(unlisted)}.")
    return attachments


_MARKDOWN = MarkdownIt("commonmark")


def sanitise_markdown(body: str) -> tuple[str, bool]:
    """Sanitise every raw HTML fragment of a Markdown body with the one nh3 policy; Markdown stays as is."""
    if "<" not in body:
        return body, False
    lines = body.split("\n")
    spans: list[tuple[int, int]] = []
    for token in _MARKDOWN.parse(body):
        if token.map is None:
            continue
        if token.type == "html_block" or (token.type == "inline" and any(
                child.type == "html_inline" for child in token.children or [])):
            spans.append((token.map[0], token.map[1]))
    changed = False
    for start, end in reversed(spans):
        original = "\n".join(lines[start:end])
        clean = sanitise_html(original)
        if _squash(clean) != _squash(original):
            changed = True
            lines[start:end] = clean.split("\n")
    return "\n".join(lines), changed


def _squash(html: str) -> str:
    """Compare fragments ignoring differences nh3 makes that change nothing (quotes, self-closing tags)."""
    return re.sub(r"\s+|/>|>|'|\"", "", html_module.unescape(html))


def _json_safe(values: dict) -> dict:
    """Dates and datetimes as ISO 8601 text, so the front matter can be stored as JSON."""
    def convert(value):
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        return value
    return {key: convert(value) for key, value in values.items()}
