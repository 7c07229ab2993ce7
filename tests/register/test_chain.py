"""The publication register through the front door: items come from intake, people approve them, the real
publisher deploys; the chain is then recomputed from the exported files alone and checked against the site."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import jsonschema
import pytest

from municms.actions.rollback import rollback
from municms.model import WITHDRAWN
from tests.municipality import submission_text
from tests.register.independent import exported_lines, live_files, recompute

PAGE = "duyurular/2026/yol-calismasi/index.html"


class Tables(HTMLParser):
    """Every table row's cell texts, per section heading id."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.section, self.cell, self.row = None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2" and attrs.get("id", "").startswith("icerik-"):
            self.section = attrs["id"].removeprefix("icerik-")
        elif tag == "tr":
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row:
            self.rows.setdefault(self.section, []).append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def records(site) -> list[dict]:
    return [json.loads(line) for line in exported_lines(site.paths.current)]


@pytest.mark.slow
def test_publish_change_withdraw_and_rollback_make_a_chain_an_outsider_recomputes(site):
    item = site.submit("duyuru", "Yol Çalışması", "Çalışma Pazartesi başlayacak.\n")
    site.approve(item.number, by="web2")
    first = site.publish()
    site.edit(item.number, submission_text("duyuru", "Yol Çalışması", "Çalışma Salı başlayacak.\n"), by="web2")
    site.approve(item.number, by="web3", reviewer="web1")
    second = site.publish()
    assert site.withdraw(item.number, by="web1", reason="Çalışma ertelendi.").state == WITHDRAWN
    third = site.publish()

    # the served export alone gives the chain, and its newest state is exactly the files served
    head, files = recompute(site.paths.current)
    assert files == live_files(site.paths.current)
    rows = site.ledger.register_records()
    assert [row["hash"] for row in rows][-1] == head
    assert [row["release"] for row in rows] == [first.release_id, second.release_id, third.release_id]
    schema = json.loads((site.paths.current / "yayin-kaydi" / "kayit.schema.json").read_bytes())
    for record in records(site):
        jsonschema.validate(record, schema, format_checker=jsonschema.FormatChecker())
    entries = [[(e["number"], e["change"], e["rev"], e["approved_by"]) for e in r["items"]] for r in records(site)]
    assert entries == [[(item.number, "ilk yayın", 1, ["web2"])], [(item.number, "değişiklik", 2, ["web3"])],
                       [(item.number, "geri çekildi", 2, ["web3"])]]
    assert [r["published_by"] for r in records(site)] == ["sistem"] * 3
    page_hashes = [r["files"]["changed"][PAGE] for r in records(site)]
    assert len(set(page_hashes)) == 3  # the page changed each time (new text, then the withdrawal notice)

    # the item's history page: first published, changed, withdrawn, with the page's hash at each
    parser = Tables()
    parser.feed((site.paths.current / "yayin-kaydi" / "icerikler-2026.html").read_text(encoding="utf-8"))
    history = parser.rows[item.number]
    assert [(row[1], row[2], row[3], row[5], row[6]) for row in history] == [
        ("ilk yayın", "/duyurular/2026/yol-calismasi/", "1", page_hashes[0], "1. kayıt"),
        ("değişiklik", "/duyurular/2026/yol-calismasi/", "2", page_hashes[1], "2. kayıt"),
        ("geri çekildi", "/duyurular/2026/yol-calismasi/", "2", page_hashes[2], "3. kayıt")]
    index = (site.paths.current / "yayin-kaydi" / "index.html").read_text(encoding="utf-8")
    assert f"Son kaydın özeti: <code>{head}</code>" in index

    # a rollback switches back and appends its record: the files as that release had them
    restored = rollback(site.ledger, site.instance, site.paths, site.clock, site.actor("mudur1"), to=second.release_id,
                        reason="Geri çekme hatalıydı.")
    assert restored.id == second.release_id
    rows = site.ledger.register_records()
    last = json.loads(rows[-1]["record"])
    assert (last["seq"], last["kind"], last["release"], last["published_by"], last["rolled_back_from"]) == (
        4, "rollback", second.release_id, "mudur1", third.release_id)
    assert [(e["number"], e["change"]) for e in last["items"]] == [(item.number, "yeniden yayında")]
    assert last["files"]["changed"][PAGE] == page_hashes[1]
    # the served export is the restored release's own (records 1-2: README); its state is the files served
    head, files = recompute(site.paths.current)
    assert head == rows[1]["hash"] and files == live_files(site.paths.current)
    assert last["files"]["tree"] == records(site)[-1]["files"]["tree"]
    code, out, _ = site.run("--json", "verify")
    report = json.loads(out)
    assert report["findings"] == []
    assert (code, report["ok"], report["records"], report["release"]) == (0, True, 4, second.release_id)

    # the next publish serves the whole chain again, the rollback included
    fourth = site.publish()
    assert [r["kind"] for r in records(site)] == ["publish", "publish", "publish", "rollback", "publish"]
    head, files = recompute(site.paths.current)
    assert files == live_files(site.paths.current) and head == site.ledger.register_head()["hash"]
    assert site.ledger.register_head()["release"] == fourth.release_id


def test_a_build_made_elsewhere_is_deployed_with_the_export_and_recorded(site, tmp_path):
    from municms.actions.deploy_build import deploy_build
    from municms.build import build_site

    published = site.publish()
    build = tmp_path / "elsewhere"
    build_site(site.instance, output=build, now=site.clock.now(), build_id="disarida")
    before = sorted(p.relative_to(build).as_posix() for p in build.rglob("*"))
    release = deploy_build(site.ledger, site.instance, site.paths, site.clock, site.actor("mudur1"), build,
                           "20261125T120000Z-disari")
    assert sorted(p.relative_to(build).as_posix() for p in build.rglob("*")) == before  # the build is untouched
    records = [json.loads(row["record"]) for row in site.ledger.register_records()]
    assert [(r["kind"], r["release"], r["published_by"]) for r in records] == [
        ("publish", published.release_id, "sistem"), ("deploy", release.id, "mudur1")]
    head, files = recompute(site.paths.current)
    assert head == site.ledger.register_head()["hash"] and files == live_files(site.paths.current)
    code, out, _ = site.run("--json", "verify")
    assert (code, json.loads(out)["findings"]) == (0, [])
    assert not (site.paths.var / "register-staging").exists()


def test_an_expired_item_is_recorded_as_expired(site):
    import datetime as dt

    from municms.actions.expire import expire_due

    item = site.submit("duyuru", "Askı İlanı", "İlan metni.\n", bitis=site.clock.now() + dt.timedelta(days=1))
    site.approve(item.number)
    site.publish()
    site.clock.advance(dt.timedelta(days=2))
    assert [i.number for i in expire_due(site.ledger, site.instance, site.clock)] == [item.number]
    site.publish()
    changes = [[(e["number"], e["change"], e["status"]) for e in r["items"]] for r in records(site)]
    assert changes == [[(item.number, "ilk yayın", "yayında")], [(item.number, "süresi doldu", "süresi doldu")]]
    head, files = recompute(site.paths.current)
    assert files == live_files(site.paths.current)
