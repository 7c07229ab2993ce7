"""What /acik-veri/ says of each kind of document: its address pattern, how often it changes, its fields (from
the schema's descriptions) and an example (the schema's own)."""

from __future__ import annotations

import json

from .documents import API
from .schemas import SCHEMAS

# kind → (address pattern, when it changes)
_KINDS = {
    "dizin": (API + "index.json", "Her yayında, yeni ya da değişen bir içerik olduğunda."),
    "bolum": (API + "{bölüm}/index.json",
              "Bölüme içerik eklendiğinde ya da bölümden çıktığında (tarihsiz bölümlerde bir içerik değiştiğinde de)."),
    "yil": (API + "{bölüm}/{yıl}.json", "O yılın bir içeriği eklendiğinde, değiştiğinde ya da geri çekildiğinde."),
    "oge": (API + "{bölüm}/{yıl}/{adres-adı}.json (tarihsiz bölümlerde " + API + "{bölüm}/{adres-adı}.json)",
            "İçerik değiştiğinde; seminerlerde kalan yer değiştiğinde de."),
    "organizasyon": (API + "organizasyon/index.json",
                     "Bir organizasyon değişikliği yayımlandığında ya da yürürlüğe girdiğinde."),
    "organizasyon-tarihi": (API + "organizasyon/{YYYY-AA-GG}.json", "Yayımlandıktan sonra değişmez."),
}


def _type_tr(schema: dict) -> str:
    """A property's type in words."""
    if "anyOf" in schema:
        kinds = [_type_tr(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " ya da ".join(kinds) + " ya da null"
    if "enum" in schema:
        return "şunlardan biri: " + ", ".join(schema["enum"])
    if "const" in schema:
        return f"sabit: {schema['const']}"
    formats = {"uri": "adres (URL)", "date-time": "zaman (ISO 8601)", "date": "gün (YYYY-AA-GG)"}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return {"string": "metin", "integer": "tam sayı", "boolean": "true/false", "array": "liste",
            "object": "nesne"}.get(schema.get("type", ""), "değer")


def document_kinds() -> list[dict]:
    """Every kind of document with its schema's address, its fields and its example, in the order of SCHEMAS."""
    kinds = []
    for kind, schema in SCHEMAS.items():
        pattern, changes = _KINDS[kind]
        fields = [{"name": name, "type": _type_tr(prop), "description": prop.get("description", ""),
                   "required": name in schema["required"]}
                  for name, prop in schema["properties"].items()]
        kinds.append({"id": kind, "title": schema["title"], "description": schema["description"],
                      "pattern": "/" + pattern, "changes": changes, "schema": f"{API}semalar/{kind}.json",
                      "fields": fields, "example": json.dumps(schema["examples"][0], ensure_ascii=False, indent=1)})
    return kinds
