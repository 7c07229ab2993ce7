"""Fuzzing the parsers departments reach: the submission parser (any bytes, any text, YAML front matter of the
right shape with wrong values), the .docx reader (random bytes, real documents with parts replaced, XML
corrupted, parts added) and the slugger. The only outcomes allowed are success or a ValidationError whose every
problem has a Turkish sentence (and a line, if any, that exists): never another exception, which a department
would see as a traceback and intake as a file left in the inbox for ever.

CI runs MUNICMS_FUZZ_EXAMPLES examples per target (default 120, about 20 s in all); soak or bench runs set it
higher (e.g. MUNICMS_FUZZ_EXAMPLES=5000). Each test prints how many examples it ran (pytest -s)."""

from __future__ import annotations

import io
import os
import re
import zipfile

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from municms.errors import ValidationError
from municms.submission import parse_submission
from municms.turkish import slugify
from tests.intake.test_bundles_docx import _p, make_docx

EXAMPLES = int(os.environ.get("MUNICMS_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("MUNICMS_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TYPES = ["duyuru", "haber", "seminer", "organizasyon", "e-hizmet", "faaliyet-raporu", "acil-duyuru",
         "mukellef-duyurusu", "mevzuat", "sayfa", "bulten"]


def outcome(path, instance) -> str:
    """'ok' or 'refused'; any exception other than a clean ValidationError fails the test."""
    try:
        parse_submission(path, "fen-isleri", instance)
    except ValidationError as exc:
        assert exc.problems and exc.message_tr
        for problem in exc.problems:
            assert isinstance(problem.message_tr, str) and problem.message_tr.strip(), problem
            assert problem.line is None or problem.line >= 0, problem
        return "refused"
    return "ok"


class Runs:
    """Counts examples and outcomes for the report line."""

    def __init__(self, target: str):
        self.target, self.counts = target, {}

    def add(self, result: str) -> None:
        self.counts[result] = self.counts.get(result, 0) + 1

    def report(self) -> None:
        total = sum(self.counts.values())
        print(f"\nfuzz {self.target}: {total} examples {self.counts}")
        assert total >= min(EXAMPLES, 50), self.counts


# --- the submission parser ------------------------------------------------------------------------------------

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                     st.dates().map(str), st.sampled_from(["2026-02-30", "31.12.2026 25:61", "../x.pdf",
                                                           "/etc/passwd", "a\x00b", "İ" * 300, "*x", "&a"]))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
_keys = st.sampled_from(["tur", "baslik", "birim", "yayin", "bitis", "ekler", "kayit_no", "son_basvuru", "ozet",
                         "degisiklikler", "kontenjan", "baslangic", "adres", "yururluk", "fotograflar", "etiketler",
                         "karar_tarihi", "resmi_gazete_sayisi", "hedef_kitle", "sira", "yer"]) | st.text(max_size=8)
_yaml_tricks = st.sampled_from(["!!python/object/apply:os.system ['true']", "&a [1, *a]", "!!binary AAAA",
                                "{? [a, b]: c}", "!!set {a, b}", "<<: {a: 1}", "'unterminated", "[1, 2",
                                "\t- tab", "!!timestamp 2026-01-01", "*undefined", "? complex\n: key"])


@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: ("---\n" + t).encode("utf-8", "surrogatepass")))
@FUZZ
def _bytes_case(tmp_path, instance, runs, raw):
    path = tmp_path / "gonderi.md"
    path.write_bytes(raw)
    runs.add(outcome(path, instance))


def test_submission_parser_on_any_bytes_and_text(municipality, tmp_path):
    m, runs = municipality(), Runs("parse_submission bytes/text")
    _bytes_case(tmp_path, m.instance, runs)
    runs.report()


@given(front=st.dictionaries(_keys, _values, max_size=10), tur=st.sampled_from(TYPES),
       trick=st.none() | _yaml_tricks, body=st.text(max_size=200))
@FUZZ
def _front_case(tmp_path, instance, runs, front, tur, trick, body):
    text = "---\n" + yaml.safe_dump({"tur": tur, **front}, allow_unicode=True)
    if trick:
        text += f"x: {trick}\n"
    (tmp_path / "gonderi.md").write_text(text + "---\n" + body, encoding="utf-8", errors="surrogatepass")
    runs.add(outcome(tmp_path / "gonderi.md", instance))


def test_submission_parser_on_wrong_front_matter(municipality, tmp_path):
    m, runs = municipality(), Runs("parse_submission front matter")
    _front_case(tmp_path, m.instance, runs)
    runs.report()


# --- the .docx reader -----------------------------------------------------------------------------------------

def _real_docx(tmp_path) -> bytes:
    return make_docx(tmp_path / "gercek.docx", _p("tur: duyuru") + _p("baslik: Su Kesintisi")
                     + _p("Yarın **su** kesilecek.")).read_bytes()


def _mutate(real: bytes, how: str, data: bytes, where: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(real))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        victim = names[where % len(names)]
        for name in names:
            part = source.read(name)
            if name == victim and how == "replace":
                part = data
            elif name == victim and how == "corrupt":
                cut = where % max(len(part), 1)
                part = part[:cut] + data + part[cut + len(data):]
            elif name == victim and how == "drop":
                continue
            target.writestr(name, part)
        if how == "add":
            target.writestr(f"word/{where}.xml", data)
    mutated = out.getvalue()
    if how == "truncate":
        mutated = mutated[: where % len(mutated)]
    return mutated


@given(how=st.sampled_from(["random", "replace", "corrupt", "drop", "add", "truncate"]),
       data=st.binary(max_size=300) | st.sampled_from([b"<w:document", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY "
                                                       b"a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]><x>&b;</x>", b"\x00" * 50,
                                                       b"</w:body></w:document>", b"<w:p><w:r><w:t>tur: haber"]),
       where=st.integers(min_value=0, max_value=10_000))
@FUZZ
def _docx_case(tmp_path, instance, real, runs, how, data, where):
    path = tmp_path / "belge.docx"
    path.write_bytes(data if how == "random" else _mutate(real, how, data, where))
    runs.add(outcome(path, instance))


def test_docx_reader_on_random_and_mutated_documents(municipality, tmp_path):
    m, runs = municipality(), Runs("docx reader")
    _docx_case(tmp_path, m.instance, _real_docx(tmp_path), runs)
    runs.report()
    assert runs.counts.get("refused", 0) > 0


# --- the slugger ----------------------------------------------------------------------------------------------

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@given(text=st.text(max_size=300) | st.text(alphabet="İıŞşĞğÇçÖöÜü \u202e\u200b\u0430\uff0e'’-.\x00", max_size=60),
       max_length=st.integers(min_value=1, max_value=200))
@FUZZ
def _slug_case(runs, text, max_length):
    slug = slugify(text, max_length=max_length)
    assert SLUG.fullmatch(slug), (text, slug)
    assert len(slug) <= max_length, (text, slug)
    assert slugify(slug, max_length=max_length) == slug
    runs.add("fallback" if slug == "icerik"[:max_length] else "slug")


def test_slugify_gives_a_valid_idempotent_slug_for_any_text():
    runs = Runs("slugify")
    _slug_case(runs)
    runs.report()
