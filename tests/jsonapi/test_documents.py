"""The static JSON API of the demo site: every document validates against the schema it names, says what its
page says, and every address in it resolves to a file of the site."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from jsonschema import Draft202012Validator
from selectolax.lexbor import LexborHTMLParser

from municms.config import load_instance

from ..conftest import REPO
from .api import FORMATS, documents, local, schema_errors

BASE = "http://127.0.0.1:8000/"   # the demo's site_url
KINDS = ["dizin", "bolum", "yil", "oge", "organizasyon", "organizasyon-tarihi"]


def items(site: Path) -> dict[str, dict]:
    return {rel: doc for rel, doc in documents(site).items() if doc["$schema"] == BASE + "api/v1/semalar/oge.json"}


def test_every_document_validates_against_the_schema_it_names(built_demo):
    found = documents(built_demo)
    schemas = {rel for rel in found if rel.startswith("api/v1/semalar/")}
    assert schemas == {f"api/v1/semalar/{kind}.json" for kind in KINDS}
    named = {}
    for rel, document in found.items():
        if rel in schemas:
            continue
        named[document["$schema"]] = named.get(document["$schema"], 0) + 1
        assert schema_errors(built_demo, document, BASE) == [], rel
    # the demo has no organisation change, so no chart of a change date (tests/jsonapi/test_publishing.py has)
    assert sorted(named) == sorted(BASE + f"api/v1/semalar/{kind}.json" for kind in KINDS
                                   if kind != "organizasyon-tarihi")
    assert named[BASE + "api/v1/semalar/oge.json"] == 51  # every public item of the demo (staff seminars are not)


def test_the_schemas_are_valid_draft_2020_12_and_their_examples_pass(built_demo):
    for kind in KINDS:
        schema = json.loads((built_demo / "api/v1/semalar" / f"{kind}.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"{BASE}api/v1/semalar/{kind}.json"
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        validator = Draft202012Validator(schema, format_checker=FORMATS)
        for example in schema["examples"]:
            assert [e.message for e in validator.iter_errors(example)] == [], kind


def test_a_document_that_breaks_its_schema_is_caught(built_demo):
    """The check above can fail: a moment without its offset, a missing field, an unknown one."""
    rel, document = next(iter(items(built_demo).items()))
    broken = dict(document, yayin_tarihi="2026-11-20T09:00:00", fazla="x")
    del broken["baslik"]
    errors = schema_errors(built_demo, broken, BASE)
    assert len(errors) == 3, errors


def test_the_index_names_the_licence_of_instance_yaml_and_every_section(built_demo):
    instance = load_instance(REPO)
    index = json.loads((built_demo / "api/v1/index.json").read_text(encoding="utf-8"))
    assert index["lisans"] == {"ad": "Creative Commons Atıf 4.0 Uluslararası (CC BY 4.0)",
                               "adres": "https://creativecommons.org/licenses/by/4.0/deed.tr"}
    assert index["lisans"]["ad"] == instance.open_data.licence.name
    assert index["yayinci"] == {"ad": "Çorum Belediyesi", "site": BASE, "e_posta": "acikveri@corum.bel.tr"}
    assert [s["anahtar"] for s in index["bolumler"]] == list(instance.sections)
    assert index["guncelleme"] == max(doc["degisiklik_tarihi"] or doc["yayin_tarihi"]
                                      for doc in items(built_demo).values())


def test_every_address_in_the_api_is_a_file_of_the_site(built_demo):
    def urls(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("$id", "examples", "govde_html"):
                    yield from urls(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from urls(inner)
        elif isinstance(value, str) and value.startswith(BASE):
            yield value
    seen = set()
    for rel, document in documents(built_demo).items():
        for url in urls(document):
            seen.add(url)
            assert local(built_demo, url, BASE).is_file(), (rel, url)
    assert len(seen) > 200


def test_each_item_document_says_what_its_page_says(built_demo):
    checked_attachments = 0
    for rel, document in items(built_demo).items():
        page = LexborHTMLParser(local(built_demo, document["sayfa"], BASE).read_text(encoding="utf-8"))
        assert page.css_first("main h1").text() == document["baslik"], rel
        assert rel == "api/v1/" + document["sayfa"][len(BASE):].rstrip("/") + ".json"
        prose = page.css_first("main .prose")
        body = LexborHTMLParser(f"<body>{document['govde_html']}</body>").body
        assert " ".join(body.text().split()) == " ".join(prose.text().split()), rel
        links = [a.attributes["href"] for a in page.css(".attachments a")]
        assert [BASE.rstrip("/") + href if href.startswith("/") else href for href in links] == \
            [a["adres"] for a in document["ekler"]], rel
        for attachment in document["ekler"]:
            data = local(built_demo, attachment["adres"], BASE).read_bytes()
            assert (attachment["boyut"], attachment["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
            checked_attachments += 1
        if document["kayit_no"]:
            assert f"Kayıt no: {document['kayit_no']}" in page.css_first("main .meta").text()
        for photo, img in zip(document["fotograflar"], page.css(".photos img"), strict=True):
            assert photo["alt"] == img.attributes["alt"]
            assert img.attributes["src"] in {BASE.rstrip("/") + "/" + r["jpeg"][len(BASE):] for r in photo["boyutlar"]} \
                | {"/" + r["jpeg"][len(BASE):] for r in photo["boyutlar"]}
    assert checked_attachments >= 3


def test_years_hold_their_items_newest_first_and_section_indexes_count_them(built_demo):
    found = documents(built_demo)
    by_page = {doc["sayfa"]: doc for doc in items(built_demo).values()}
    listed = set()
    for rel, section in found.items():
        if not rel.endswith("/index.json") or section["$schema"] != BASE + "api/v1/semalar/bolum.json":
            continue
        if section["bolum"]["tarihli"]:
            assert [y["yil"] for y in section["yillar"]] == sorted((y["yil"] for y in section["yillar"]), reverse=True)
            for year in section["yillar"]:
                document = json.loads(local(built_demo, year["adres"], BASE).read_text(encoding="utf-8"))
                entries = document["ogeler"]
                assert len(entries) == year["adet"] and document["yil"] == year["yil"]
                assert [e["yayin_tarihi"] for e in entries] == sorted((e["yayin_tarihi"] for e in entries),
                                                                      reverse=True)
                for entry in entries:
                    assert entry["yayin_tarihi"].startswith(str(year["yil"]))
                    assert {k: by_page[entry["sayfa"]][k] for k in entry} == entry
                    listed.add(entry["sayfa"])
        else:
            for entry in section["ogeler"]:
                assert {k: by_page[entry["sayfa"]][k] for k in entry} == entry
                listed.add(entry["sayfa"])
    assert listed == set(by_page)


def test_seminars_give_their_facts_and_the_staff_only_ones_are_absent(built_demo):
    seminars = [doc for doc in items(built_demo).values() if doc["bolum"]["anahtar"] == "seminer"]
    assert seminars and all("seminer" in doc for doc in seminars if doc["durum"] == "yayinda")
    for doc in seminars:
        page = local(built_demo, doc["sayfa"], BASE).read_text(encoding="utf-8")
        facts = doc.get("seminer")
        if facts and facts["kontenjan"] is not None:
            assert f"<dd>{facts['kontenjan']} kişi" in page
    staff_sources = [p for p in (REPO / "content/seminerler").rglob("*.md")
                     if "personel" in p.read_text(encoding="utf-8").lower().split("hedef_kitle:")[-1].split("\n")[0]]
    assert len(staff_sources) == 4
    for source in staff_sources:
        title = next(line.split(":", 1)[1].strip() for line in source.read_text(encoding="utf-8").splitlines()
                     if line.lower().startswith("title:"))
        assert all(doc["baslik"] != title for doc in items(built_demo).values())


def test_the_org_chart_document_is_the_chart_in_force(built_demo):
    chart = json.loads((built_demo / "api/v1/organizasyon/index.json").read_text(encoding="utf-8"))
    instance = load_instance(REPO)
    assert sorted(u["kimlik"] for u in chart["birimler"]) == sorted(u.id for u in instance.org_chart)
    parents = {u["kimlik"]: u["ust"] for u in chart["birimler"]}
    assert parents == {u.id: u.parent for u in instance.org_chart}
    page = (built_demo / "kurumsal/organizasyon-semasi/index.html").read_text(encoding="utf-8")
    for unit in chart["birimler"]:
        assert unit["ad"] in page
        if unit["yonetici"]:
            assert unit["yonetici"]["ad"] in page


def test_the_open_data_page_documents_every_kind_and_the_footer_links_it(built_demo):
    page = LexborHTMLParser((built_demo / "acik-veri/index.html").read_text(encoding="utf-8"))
    main = page.css_first("main")
    assert main.css_first("h1").text() == "Açık Veri"
    assert [h.text() for h in main.css("section.open-data-kind h3")] == [
        "API dizini", "Bölüm dizini", "Bölümün bir yılı", "İçerik", "Organizasyon şeması",
        "Bir tarihteki organizasyon şeması"]
    schema_links = [a.attributes["href"] for a in main.css("section.open-data-kind dd a")]
    assert schema_links == [f"/api/v1/semalar/{kind}.json" for kind in KINDS]
    licence = main.css_first('a[href="https://creativecommons.org/licenses/by/4.0/deed.tr"]')
    assert licence.text() == "Creative Commons Atıf 4.0 Uluslararası (CC BY 4.0)"
    item_fields = [row.css_first("th code").text() for row in main.css("#oge ~ .table-scroll tbody tr")]
    assert "sha256" not in item_fields and {"govde_html", "ekler", "kayit_no", "seminer"} <= set(item_fields)
    examples = [json.loads(pre.text()) for pre in main.css("pre.json-example")]
    assert [e["$schema"].rsplit("/", 1)[1] for e in examples] == [f"{kind}.json" for kind in KINDS]
    home = LexborHTMLParser((built_demo / "index.html").read_text(encoding="utf-8"))
    assert [a.text() for a in home.css('footer a[href="/acik-veri/"]')] == ["Açık veri (JSON)"]
