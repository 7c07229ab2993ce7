"""A title that tries to end the JSON-LD block (`</script><script>alert(1)</script>`), sent through real intake,
approved and published, stays inside the JSON string: the page has no script but its JSON-LD blocks, each
block is valid for its schema.org type, and the title reads back exactly as typed."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from tests.hostile import html_problems
from tests.jsonld import jsonld_blocks

HOSTILE = "</script><script>alert(1)</script>"
SUMMARY = "Özet <!-- </script> & \u2028 satır"


def published_page(site, tur: str, title: str, **front) -> str:
    item = site.submit(tur, title, "Metin.\n", ozet=SUMMARY, **front)
    site.approve(item.number)
    assert site.publish().items == [item.number]
    url = [e for e in site.ledger.events(item.id) if e.action == "publish"][-1].data["url"].strip("/")
    return (site.paths.current / url / "index.html").read_text(encoding="utf-8")


def test_a_title_that_closes_the_script_element_stays_inside_the_json_string(site):
    for tur, front, kind in (("haber", {}, "NewsArticle"),
                             ("e-hizmet", {"adres": "https://e.deneme.bel.tr/borc", "grup": "Ödeme"},
                              "GovernmentService")):
        html = published_page(site, tur, f"{HOSTILE} {tur}", **front)
        assert html_problems(html, tur) == []
        head = html[:html.index("</head>")]
        assert head.count("<script") == head.count('<script type="application/ld+json">') == 2
        assert "alert(1)</script>" not in head.replace("\\u003c/script\\u003e", "")
        assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in head
        blocks = jsonld_blocks(html)
        data = next(b for b in blocks if b["@type"] == kind)
        assert data.get("headline", data.get("name")) == f"{HOSTILE} {tur}"
        assert data["description"] == " ".join(SUMMARY.split())
        trail = next(b for b in blocks if b["@type"] == "BreadcrumbList")
        assert trail["itemListElement"][-1]["name"] == f"{HOSTILE} {tur}"
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("meta", property="og:title")["content"] == f"{HOSTILE} {tur}"
        assert [json.loads(s.string) for s in soup.find_all("script")] == blocks  # nothing else runs
