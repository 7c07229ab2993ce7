"""Who sees what: each role × list / show / defter, over two departments and two editorial units, through the
command line as staff use it."""

from __future__ import annotations

import json

import pytest

SEMINAR = dict(egitmen="Mehmet Kaya", yer="Belediye Konferans Salonu", baslangic="2026-12-10 10:00",
               bitis="2026-12-10 12:30", kontenjan=40, hedef_kitle=["personel"], kayit_son="2026-12-08")

# item key → (department, type); duyuru goes to the web unit, seminer to egitim (instance.yaml routing)
ITEMS = {"fen-duyuru": ("fen-isleri", "duyuru"), "fen-seminer": ("fen-isleri", "seminer"),
         "mali-duyuru": ("mali-hizmetler", "duyuru"), "mali-seminer": ("mali-hizmetler", "seminer")}

SEES = {
    "fen1": {"fen-duyuru", "fen-seminer"},                   # birim: own department only
    "mali1": {"mali-duyuru", "mali-seminer"},
    "web1": {"fen-duyuru", "mali-duyuru"},                   # editor: own unit only
    "egitim1": {"fen-seminer", "mali-seminer"},
    "mudur1": set(ITEMS),
    "yonetici1": set(ITEMS),
}


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    from tests.municipality import Municipality, bare_instance
    from tests.conftest import FIXED_NOW

    m = Municipality(bare_instance(tmp_path_factory.mktemp("visibility") / "instance"), FIXED_NOW)
    numbers = {}
    for key, (department, tur) in ITEMS.items():
        extra = SEMINAR if tur == "seminer" else {}
        numbers[key] = m.submit(tur, f"Kayıt {key}", department=department, **extra).number
    yield m, numbers
    m.close()


@pytest.mark.parametrize("login", sorted(SEES))
def test_list(register, login):
    m, numbers = register
    code, out, err = m.run("list", "--json", login=login)
    assert code == 0, err
    assert {i["number"] for i in json.loads(out)["items"]} == {numbers[k] for k in SEES[login]}


@pytest.mark.parametrize("login", sorted(SEES))
def test_defter(register, login):
    m, numbers = register
    code, out, err = m.run("defter", "--from", "2026-01-01", "--to", "2026-12-31", "--json", login=login)
    assert code == 0, err
    assert {r["number"] for r in json.loads(out)["rows"]} == {numbers[k] for k in SEES[login]}
    code, csv_out, err = m.run("defter", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv",
                               login=login)
    assert code == 0, err
    shown = {k for k, number in numbers.items() if number in csv_out}
    assert shown == SEES[login]


@pytest.mark.parametrize("login", sorted(SEES))
def test_show(register, login):
    m, numbers = register
    for key, number in numbers.items():
        code, out, err = m.run("show", number, "--json", login=login)
        if key in SEES[login]:
            assert code == 0, err
            assert json.loads(out)["item"]["number"] == number
        else:
            assert code == 1
            # the same answer as for a number that does not exist: nothing is revealed
            assert json.loads(out) == {"ok": False, "error": "NotFound", "message_en": json.loads(out)["message_en"],
                                       "message": f"'{number}' numaralı kayıt bulunamadı ya da görme yetkiniz yok."}
            assert f"Kayıt {key}" not in out
