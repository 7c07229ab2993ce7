"""instance.yaml's open_data block: a typed licence, with a Turkish message for a bad value."""

from __future__ import annotations

import pytest

from municms.config import parse_instance
from municms.errors import ConfigError

from ..conftest import REPO

DEMO = (REPO / "instance.yaml").read_text(encoding="utf-8")
BLOCK = '''open_data:
  licence: {name: "Creative Commons Atıf 4.0 Uluslararası (CC BY 4.0)",
            url: "https://creativecommons.org/licenses/by/4.0/deed.tr"}
  contact: "acikveri@corum.bel.tr"   # who answers questions about the data; empty: the contact e-mail
'''


def with_block(block: str) -> str:
    assert BLOCK in DEMO
    return DEMO.replace(BLOCK, block)


def test_the_demo_names_an_open_licence():
    licence = parse_instance(DEMO).open_data.licence
    assert (licence.name, licence.url) == ("Creative Commons Atıf 4.0 Uluslararası (CC BY 4.0)",
                                           "https://creativecommons.org/licenses/by/4.0/deed.tr")


def test_a_licence_address_that_is_not_a_web_address_is_refused_in_turkish():
    with pytest.raises(ConfigError) as refused:
        parse_instance(with_block('open_data:\n  licence: {name: "CC0", url: "creativecommons.org/cc0"}\n'))
    messages = [(p.field, p.message_tr) for p in refused.value.problems]
    assert messages == [("open_data.licence.url", "Biçim geçersiz. Lisans metninin adresini http:// ya da https:// "
                                                  "ile yazın (ör. https://creativecommons.org/licenses/by/4.0/deed.tr).")]


def test_a_licence_without_a_name_and_an_unknown_key_are_both_reported():
    with pytest.raises(ConfigError) as refused:
        parse_instance(with_block('open_data:\n  licence: {url: "https://example.org/l"}\n  lisans: x\n'))
    assert sorted((p.field, p.message_tr) for p in refused.value.problems) == [
        ("open_data.licence.name", "Bu alan zorunludur."),
        ("open_data.lisans", "Bu alan tanınmıyor (yazım hatası olabilir).")]


def test_without_the_block_the_data_is_published_under_cc_by_4():
    instance = parse_instance(with_block(""))
    assert instance.open_data.licence.url == "https://creativecommons.org/licenses/by/4.0/deed.tr"


def test_an_undated_item_whose_address_would_take_its_sections_index_fails_the_build(tmp_path):
    from municms.errors import BuildError
    from tests.tinysite import build, copy_tiny

    root = copy_tiny(tmp_path / "tiny")
    (root / "content/e-hizmetler/dizin.md").write_text(
        "Title: Index\nDate: 2025-01-01 00:00\nTur: e-hizmet\nAdres: https://e.deneme.bel.tr/x\n\nMetin.\n",
        encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build(root, tmp_path / "out")
    assert "e-hizmetler/dizin.md: 'index' adresi açık veri dizininin adı; başka bir başlık ya da 'slug' seçin." \
        in failed.value.message_tr
    assert not (tmp_path / "out").exists()
