"""Secrets of the public registration form: the instance key in var/, the signed token a static seminar
page carries (CSRF-safe without a session: only our pages hold a valid token for a seminar), the
cancellation link's token, and the key under which a sender's attempts are counted (no address stored)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from ..private import create_private_file

KEY_FILE = "form.key"


def instance_key(var: Path) -> bytes:
    """The instance's form key (var/form.key, owner-only), made on first use."""
    path = Path(var) / KEY_FILE
    if not path.exists():  # written aside, then linked into place: two processes starting at once agree
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{KEY_FILE}.{secrets.token_hex(4)}")
        create_private_file(aside)
        aside.write_text(secrets.token_hex(32) + "\n")
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return bytes.fromhex(path.read_text().strip())


def _sign(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def form_token(key: bytes, item_id: int) -> str:
    """The token the seminar's public page puts in its form."""
    return _sign(key, f"seminer-kayit:{item_id}")


def valid_form_token(key: bytes, item_id: int, token: str) -> bool:
    return hmac.compare_digest(form_token(key, item_id), str(token or ""))


def cancel_token(key: bytes, reg_id: int) -> str:
    """The token of a registration's cancellation link: made again for every letter, never stored."""
    return f"{reg_id}.{_sign(key, f'seminer-iptal:{reg_id}')}"


def cancelled_registration_id(key: bytes, token: str) -> int | None:
    """The registration a cancellation token is for, or None if the token is not one of ours."""
    ref, _, _sig = str(token or "").partition(".")
    if not ref.isdigit():
        return None
    return int(ref) if hmac.compare_digest(cancel_token(key, int(ref)), str(token)) else None


def sender_key(key: bytes, address: str) -> str:
    """What the rate limit counts a sender by: a keyed hash of the client address, never the address."""
    return "kayit:" + _sign(key, f"adres:{address}")
