"""`publish.py check --site`: the compliance report of a built site, through the real command line and builds."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from municms.config import load_instance
from municms.errors import BuildError
from municms.turkish import format_day

pytestmark = pytest.mark.slow

KVKK_RULE = "6698 sayılı KVKK m.10 (aydınlatma yükümlülüğü)"
# The tiny instance in the compliance block's form: KVKK with its own rule and title, two known pages.
COMPLIANCE_BLOCK = f"""compliance:
  required_pages:
    - {{url: /kvkk/, title: "KVKK Aydınlatma Metni", rule: "{KVKK_RULE}"}}
    - /iletisim/
    - /birimler/
"""


def use_compliance_block(m, extra: str = "") -> None:
    config = m.root / "instance.yaml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^required_pages: .*\n", COMPLIANCE_BLOCK + extra, text, flags=re.M)
    config.write_text(text, encoding="utf-8")


def add_kep(m) -> None:
    config = m.root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '    email: "bilgi@deneme.bel.tr"\n', '    email: "bilgi@deneme.bel.tr"\n    kep: "denemebelediyesi@hs01.kep.tr"\n'),
        encoding="utf-8")


def write_page(m, name: str, body: str) -> None:
    path = m.root / "content" / "sayfalar" / name
    head, _, _ = path.read_text(encoding="utf-8").partition("\n\n")
    path.write_text(head + "\n\n" + body, encoding="utf-8")


def complete_tiny(m, statement_day: dt.date) -> None:
    """The tiny site made compliant: a KEP address, a full contact page, a dated accessibility statement."""
    add_kep(m)
    write_page(m, "iletisim.md", "Adres: Cumhuriyet Meydanı No: 1, Merkez\n\nTelefon: 0364 000 00 00\n\n"
               "E-posta: bilgi@deneme.bel.tr\n\nKEP: denemebelediyesi@hs01.kep.tr\n")
    write_page(m, "erisilebilirlik.md", "Sitemiz WCAG 2.2 AA düzeyini hedefler.\n\n"
               f"Bu beyan {format_day(statement_day, 'd MMMM y')} tarihinde güncellenmiştir.\n")


def check_site(m, folder=None) -> tuple[int, str, str]:
    return m.run("check", "--site", *([str(folder)] if folder else []))


def findings(m, folder=None) -> dict:
    code, out, _ = m.run("--json", "check", "--site", *([str(folder)] if folder else []))
    report = json.loads(out)
    assert report["ok"] is (code == 0)
    return report


def test_demo_site_passes_clean(municipality):
    m = municipality("demo")
    # the demo's statement is dated 20 Kasım 2026; `check --site` reads it on the real day
    statement = m.root / "content" / "sayfalar" / "erisilebilirlik.md"
    statement.write_text(statement.read_text(encoding="utf-8").replace(
        "20 Kasım 2026", format_day(dt.date.today(), "d MMMM y")), encoding="utf-8")
    result = m.publish()
    assert not [w for w in result.build.warnings if "Uyum denetimi" in w]
    code, out, err = check_site(m)
    assert (code, err) == (0, "")
    assert "Bulgu yok" in out and str(m.paths.current) in out
    report = findings(m)
    assert report["findings"] == [] and report["blocking"] == 0 and report["warnings"] == 0
    assert report["pages"] > 100


def test_missing_required_page_fails_naming_page_and_rule(municipality, tmp_path):
    m = municipality("tiny")
    use_compliance_block(m)
    (m.root / "content" / "sayfalar" / "kvkk.md").unlink()
    out = tmp_path / "site"
    code, _, err = m.run("build", "--output", str(out))  # the post-build check of every build and publish
    assert code == 1 and not out.exists()
    assert "kvkk/index.html [required]: Zorunlu sayfa '/kvkk/' (KVKK Aydınlatma Metni) eksik." in err
    assert f"(Dayanak: {KVKK_RULE})" in err

    assert m.run("build", "--no-check", "--output", str(out))[0] == 0
    code, text, _ = check_site(m, out)
    assert code == 1
    line = next(line for line in text.splitlines() if "[required]" in line)
    assert line == (f"  - ENGELLEYİCİ kvkk/index.html [required]: Zorunlu sayfa '/kvkk/' (KVKK Aydınlatma Metni) "
                    "eksik. Bu adreste bir sayfa yayımlayın (ör. content/sayfalar/ altında, adresine uygun Slug ile). "
                    f"(Dayanak: {KVKK_RULE})")
    report = findings(m, out)
    required = [f for f in report["findings"] if f["check"] == "required"]
    assert required == [{"page": "kvkk/index.html", "check": "required", "rule": KVKK_RULE, "severity": "block",
                         "message": "Zorunlu sayfa '/kvkk/' (KVKK Aydınlatma Metni) eksik. Bu adreste bir sayfa "
                                    "yayımlayın (ör. content/sayfalar/ altında, adresine uygun Slug ile)."}]


def test_publish_with_a_missing_required_page_deploys_nothing(municipality):
    m = municipality("tiny")
    first = m.publish().release_id
    use_compliance_block(m)
    m.instance = load_instance(m.root)
    (m.root / "content" / "sayfalar" / "kvkk.md").unlink()
    with pytest.raises(BuildError) as failed:
        m.publish()
    assert "Zorunlu sayfa '/kvkk/' (KVKK Aydınlatma Metni) eksik." in failed.value.message_tr
    assert m.paths.current.resolve().name == first


def test_page_without_footer_links_is_named(municipality, tmp_path):
    m = municipality("tiny")
    templates = m.root / "themes" / "belediye" / "templates"
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        '<li><a href="{{ SITEURL }}/kvkk/">KVKK Aydınlatma Metni</a></li>', ""), encoding="utf-8")
    # the 404 page on a template of its own, without the site's footer
    (templates / "404.html").write_text('<!DOCTYPE html><html lang="tr"><head><meta charset="utf-8"><title>Yok'
                                        '</title></head><body><main><h1>Sayfa bulunamadı</h1></main></body></html>',
                                        encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = m.run("build", "--output", str(out))
    assert code == 1
    assert ("iletisim/index.html [footer]: Alt bilgide şu bağlantılar yok: KVKK Aydınlatma Metni (/kvkk/)."
            in err)
    assert "404.html [footer]: Sayfada alt bilgi (footer) yok" in err

    assert m.run("build", "--no-check", "--output", str(out))[0] == 0
    report = findings(m, out)
    footer = {f["page"]: f for f in report["findings"] if f["check"] == "footer"}
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.name.startswith("_")}
    assert set(footer) == pages  # every page is named: the 404 page for its missing footer, the rest for KVKK
    assert footer["404.html"]["message"].startswith("Sayfada alt bilgi (footer) yok")
    assert footer["index.html"]["message"].startswith("Alt bilgide şu bağlantılar yok: KVKK Aydınlatma Metni (/kvkk/).")
    assert all(f["severity"] == "block" for f in footer.values())


def test_missing_kep_warns_and_publishes(municipality):
    m = municipality("tiny")
    complete_tiny(m, dt.date.today())
    config = m.root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('    kep: "denemebelediyesi@hs01.kep.tr"\n', ""),
                      encoding="utf-8")
    result = m.publish()  # a warning does not hold back the publish
    assert any("instance.yaml [kep]" in w for w in result.build.warnings)
    code, text, _ = check_site(m)
    assert code == 1
    assert text.splitlines()[1:] == [
        "  - UYARI instance.yaml [kep]: Kayıtlı elektronik posta (KEP) adresi yok. instance.yaml'da "
        "municipality.contact.kep alanına belediyenin KEP adresini yazın (ör. kurumadi@hs01.kep.tr); adres alt "
        "bilgide ve iletişim sayfasında gösterilir. (Dayanak: 7201 sayılı Tebligat Kanunu m.7/a (kamu kurumlarının "
        "KEP adresi))"]
    report = findings(m)
    assert [(f["page"], f["check"], f["severity"]) for f in report["findings"]] == [("instance.yaml", "kep", "warn")]
    page = (m.paths.current / "uyum-raporu" / "index.html").read_text(encoding="utf-8")
    assert "Uyarı: KEP adresi tanımlı değil" in page

    add_kep(m)
    m.instance = load_instance(m.root)
    m.publish()
    assert check_site(m)[0] == 0
    page = (m.paths.current / "uyum-raporu" / "index.html").read_text(encoding="utf-8")
    assert "Uyarı sayısı: 0." in page and "Uyarı:" not in page and "denemebelediyesi@hs01.kep.tr" in page


def test_old_accessibility_statement_warns(municipality):
    m = municipality("tiny")
    today = dt.date.today()
    old = today.replace(year=today.year - 1) - dt.timedelta(days=31)
    complete_tiny(m, old)
    m.instance = load_instance(m.root)
    m.publish()
    code, text, _ = check_site(m)
    assert code == 1
    assert text.splitlines()[1:] == [
        f"  - UYARI erisilebilirlik/index.html [statement]: Erişilebilirlik beyanı 12 aydan eski (son güncelleme "
        f"{old.isoformat()}). Sitenin erişilebilirliğini yeniden değerlendirip beyanı ve tarihini güncelleyin. "
        "(Dayanak: KAMİS erişilebilirlik ölçütleri; 5378 sayılı Engelliler Hakkında Kanun)"]

    # the limit is the instance's: two years allow it
    config = m.root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "required_pages: [", "compliance: {statement_max_months: 24}\nrequired_pages: ["), encoding="utf-8")
    assert check_site(m)[0] == 0



def test_check_site_without_a_release_or_folder_says_so(municipality, tmp_path):
    m = municipality("tiny")
    code, out, err = check_site(m)
    assert (code, out) == (1, "")
    assert err.startswith("HATA: Yayında bir sürüm (var/current) bulunamadı; denetlenecek site yok.")
    code, out, err = check_site(m, tmp_path / "yok")
    assert code == 1 and f"HATA: '{tmp_path / 'yok'}' klasörü bulunamadı" in err
