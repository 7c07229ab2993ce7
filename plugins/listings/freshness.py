"""Whether an item still asks something of the reader at build time: a tax notice before its deadline, a seminar
before its end. Past ones say so in words (`past_note`) and come after current ones in every listing.

The note depends on the build's clock (MUNICMS_NOW), not on the source file, so it is worked out again in every
build, kept on the article as `past_note` (the publisher's digest counts it as part of where the build put the
article: a page renders again when an item crosses its boundary with no change to its file), and a full build at
the same moment gives the same pages.
"""

from __future__ import annotations

import datetime as dt

DEADLINE_PASSED = "Son başvuru tarihi geçti"
HELD = "Gerçekleşti"
CANCELLED = "İptal edildi"
EXPIRED = "Süresi geçti"
EXPIRED_MARK = "suresi-doldu"  # Durum, as materialise writes it for an item past its `bitis`


def past_note(article, now: dt.datetime) -> str:
    """Why an item is past at `now` ('' while it is current)."""
    tur = getattr(article, "tur", None)
    if article.metadata.get("durum") == EXPIRED_MARK:
        return EXPIRED
    if tur == "seminer":
        if article.metadata.get("iptal_nedeni") is not None:
            return CANCELLED
        end = getattr(article, "bitis", None) or getattr(article, "baslangic", None)
        return HELD if isinstance(end, dt.datetime) and end <= now else ""
    deadline = getattr(article, "son_basvuru", None)
    if isinstance(deadline, dt.date) and deadline < now.date():
        return DEADLINE_PASSED
    end = getattr(article, "bitis", None)  # another item's `bitis`: when it leaves the site (yayından kalkış)
    if isinstance(end, dt.datetime) and end <= now:
        return EXPIRED
    return ""


def mark_past(articles, now: dt.datetime) -> None:
    """Set `past_note` on every article for this build; an item of the content folder (not written by
    materialise) that is past its `bitis` is expired exactly as materialise marks a ledger item."""
    for article in articles:
        note = past_note(article, now)
        article.past_note = note
        expired_here = note == EXPIRED and article.metadata.get("durum") is None
        if expired_here or article.__dict__.get("_municms_expired_by_bitis"):
            article._municms_expired_by_bitis = expired_here
            if expired_here:
                article.metadata["durum"] = article.durum = EXPIRED_MARK
            else:  # the same object in a build at an earlier moment (tests): current again
                article.metadata.pop("durum", None)
                article.__dict__.pop("durum", None)


def current_first(items) -> list:
    """Current items, then past ones, each group in the order given."""
    return [i for i in items if not i.past_note] + [i for i in items if i.past_note]
