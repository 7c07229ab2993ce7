"""instance.yaml's compliance block, and the older top-level required_pages list it replaces."""

from __future__ import annotations

from municms.config import load_instance


def test_older_required_pages_list_is_read_with_each_page_rule(municipality):
    m = municipality("tiny")  # the tiny instance still has `required_pages: [...]` at the top level
    pages = load_instance(m.root).compliance.required_pages
    assert [(p.url, p.title, p.rule) for p in pages] == [
        ("/kurumsal/organizasyon-semasi/", "Organizasyon Şeması", "Başbakanlık Genelgesi 2007/4; KAMİS"),
        ("/iletisim/", "İletişim", "Başbakanlık Genelgesi 2007/4; 7201 sayılı Tebligat Kanunu m.7/a (KEP)"),
        ("/birimler/", "Birimler", "Başbakanlık Genelgesi 2007/4 (birimlerin görevleri ve iletişim bilgileri)")]
    assert m.run("check") == (0, "Yapılandırma geçerli (instance.yaml, pelicanconf.py).\n", "")


def test_compliance_block_with_own_pages_and_limits(municipality):
    m = municipality("tiny")
    config = m.root / "instance.yaml"
    text = config.read_text(encoding="utf-8").replace(
        'required_pages: ["/kurumsal/organizasyon-semasi/", "/iletisim/", "/birimler/"]\n',
        'compliance:\n  required_pages: [/iletisim/, {url: /kurumsal/etik/, title: "Etik Kurul", '
        'rule: "Kamu Görevlileri Etik Kurulu Yönetmeliği"}]\n  statement_max_months: 6\n')
    config.write_text(text, encoding="utf-8")
    compliance = load_instance(m.root).compliance
    assert [(p.url, p.title, p.rule) for p in compliance.required_pages] == [
        ("/iletisim/", "İletişim", "Başbakanlık Genelgesi 2007/4; 7201 sayılı Tebligat Kanunu m.7/a (KEP)"),
        ("/kurumsal/etik/", "Etik Kurul", "Kamu Görevlileri Etik Kurulu Yönetmeliği")]
    assert compliance.statement_max_months == 6
    assert [p.url for p in compliance.footer_links] == ["/bilgi-edinme/", "/kvkk/", "/erisilebilirlik/", "/iletisim/"]


def test_both_lists_or_a_bad_address_are_refused_in_turkish(municipality):
    m = municipality("tiny")
    config = m.root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "compliance: {required_pages: [kvkk/], statement_max_months: 0}\n", encoding="utf-8")
    code, out, err = m.run("check")
    assert (code, out) == (1, "")
    assert ("alan 'required_pages': Zorunlu sayfalar iki yerde yazılmış: üst düzeydeki 'required_pages' listesini "
            "silin ve sayfaları yalnızca 'compliance.required_pages' altında, her birinin dayandığı kuralla yazın."
            in err)
    config.write_text(config.read_text(encoding="utf-8").replace("required_pages: [\"", "eski: [\""),
                      encoding="utf-8")
    code, out, err = m.run("check")
    assert code == 1
    assert ("alan 'compliance.required_pages.0.url': Biçim geçersiz. Site içi bir adres yazın: / ile başlayıp / ile "
            "bitmeli (ör. /kvkk/)." in err)
    assert "alan 'compliance.statement_max_months': Değer en az 1 olmalıdır." in err
