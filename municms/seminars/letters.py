"""The e-mails a registrant gets, in Turkish: written into the outbox in the same transaction as the change
they tell about, so a message is never lost and never sent for a change that did not happen."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from ..model import CONFIRMED, OutboxMessage, Registration
from ..turkish import format_moment

CONFIRMATION = "onay"
WAITING_LIST = "yedek"
MOVED_UP = "yedekten-kesine"
REMINDER = "hatirlatma"
REGISTRATION_CANCELLED = "kayit-iptal"
SEMINAR_CANCELLED = "seminer-iptal"
DATES_CHANGED = "tarih-degisti"


def cancel_url(site_url: str, item_id: int, token: str) -> str:
    return f"{site_url.rstrip('/')}/kayit/seminer/{item_id}/iptal?anahtar={quote(token)}"


def _when(start: dt.datetime | None, end: dt.datetime | None, tz) -> str:
    if start is None:
        return "tarihi daha sonra duyurulacak"
    text = format_moment(start.astimezone(tz))
    if end is not None:
        text += f" – {format_moment(end.astimezone(tz), 'HH:mm') if end.date() == start.date() else format_moment(end.astimezone(tz))}"
    return text


def letter(kind: str, reg: Registration, *, title: str, place: str, start, end, tz, municipality: str,
           now: dt.datetime, link: str | None = None, reason: str | None = None,
           previous: str | None = None) -> OutboxMessage | None:
    """The message of `kind` to one registrant, or None when they gave no e-mail address."""
    if not reg.email:
        return None
    when = _when(start, end, tz)
    hello = f"Sayın {reg.name},\n\n"
    subjects = {
        CONFIRMATION: f"Kaydınız alındı: {title}",
        WAITING_LIST: f"Yedek listedesiniz: {title}",
        MOVED_UP: f"Yer açıldı, kaydınız kesinleşti: {title}",
        REMINDER: f"Yarın: {title}",
        REGISTRATION_CANCELLED: f"Kaydınız iptal edildi: {title}",
        SEMINAR_CANCELLED: f"Seminer iptal edildi: {title}",
        DATES_CHANGED: f"Seminerin tarihi değişti: {title}",
    }
    texts = {
        CONFIRMATION: f"“{title}” seminerine kaydınız alınmıştır.\n",
        WAITING_LIST: (f"“{title}” seminerinin kontenjanı dolu olduğu için yedek listeye alındınız. Bir yer "
                       "açıldığında kaydınız kendiliğinden kesinleşir ve size yeniden yazarız.\n"),
        MOVED_UP: f"“{title}” seminerinde yer açıldı; yedek listedeki kaydınız kesinleşmiştir.\n",
        REMINDER: f"“{title}” semineri yarın yapılacaktır. Sizi aramızda görmekten mutluluk duyarız.\n",
        REGISTRATION_CANCELLED: f"“{title}” seminerine kaydınız isteğiniz üzerine iptal edilmiştir.\n",
        SEMINAR_CANCELLED: (f"Üzülerek bildiririz ki “{title}” semineri iptal edilmiştir.\n\n"
                            f"Gerekçe: {reason or 'belirtilmedi'}\n"),
        DATES_CHANGED: (f"“{title}” seminerinin tarihi değişmiştir. Kaydınız geçerliliğini korumaktadır.\n\n"
                        f"Önceki tarih: {previous}\n"),
    }
    body = hello + texts[kind]
    if kind not in (REGISTRATION_CANCELLED, SEMINAR_CANCELLED):
        body += f"\nTarih: {when}\nYer: {place or 'daha sonra duyurulacak'}\n"
        if reg.status == CONFIRMED or kind == WAITING_LIST:
            body += f"Kayıt durumu: {'yedek liste' if kind == WAITING_LIST else 'kesin kayıt'}\n"
    if link and kind not in (REGISTRATION_CANCELLED, SEMINAR_CANCELLED):
        body += f"\nKatılamayacaksanız kaydınızı bu bağlantıdan iptal edebilirsiniz; yeriniz sıradaki kişiye geçer:\n{link}\n"
    body += f"\n{municipality}\nBu ileti kaydınız nedeniyle gönderilmiştir; yanıtlamanıza gerek yoktur.\n"
    return OutboxMessage(created_at=now, kind=kind, recipient=reg.email, subject=subjects[kind], body=body,
                         registration_id=reg.id)
