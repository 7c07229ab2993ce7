"""CLI: who is acting. `--as LOGIN` with the password from the terminal or `--password-stdin`, or a personal
token in MUNICMS_TOKEN; `--system` only where a command allows it (the instance owner's automation)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ..auth import (FAILED_LOGIN, Actor, AuthenticationFailed, login_with_password, login_with_token,
                    owner_system_actor)
from ..model import Event
from .context import Context

TOKEN_VARIABLE = "MUNICMS_TOKEN"


def add_identity_flags(parser: argparse.ArgumentParser, *, password_stdin: bool = True,
                       system: bool = False) -> None:
    """--as LOGIN [--password-stdin] [--system]; without them the command uses MUNICMS_TOKEN."""
    parser.add_argument("--as", dest="as_login", metavar="LOGIN",
                        help=f"işlemi yapan kullanıcı (parola sorulur); verilmezse {TOKEN_VARIABLE} kullanılır")
    if password_stdin:
        parser.add_argument("--password-stdin", dest="actor_password_stdin", action="store_true",
                            help="--as kullanıcısının parolasını standart girdinin ilk satırından oku")
    if system:
        parser.add_argument("--system", action="store_true",
                            help="kurulumun sahibi olarak sistem adına çalış (otomasyon için; kayda geçer)")


def read_line(prompt: str, from_stdin: bool, instead: str = "") -> str:
    """One secret: the next line of standard input, or typed at the terminal (never echoed)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        instead = instead or (f"--password-stdin ile standart girdiden verin ya da {TOKEN_VARIABLE} ortam "
                              "değişkeninde kişisel anahtar kullanın")
        raise AuthenticationFailed(f"Parola sorulamıyor (terminal yok): {instead}.",
                                   "no terminal for the password prompt")
    return getpass.getpass(prompt)


def authenticate(args: argparse.Namespace, ctx: Context) -> Actor:
    """The proven actor of this command, or AuthenticationFailed with what to do instead."""
    if getattr(args, "system", False):
        if args.as_login:
            raise AuthenticationFailed("--system ile --as birlikte kullanılamaz.", "--system with --as")
        return owner_system_actor(ctx.instance.root, ctx.paths.database)
    if args.as_login:
        password = read_line(f"Parola ({args.as_login}): ", getattr(args, "actor_password_stdin", False))
        return login_with_password(ctx.ledger, args.as_login, password, ctx.clock)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return login_with_token(ctx.ledger, token, ctx.clock)
    with ctx.ledger.transaction() as tx:  # a refused attempt is on the register too
        tx.append_event(Event(at=ctx.clock.now(), actor="-", action=FAILED_LOGIN,
                              data={"why": "no credentials", "command": getattr(args, "command", "")}))
    raise AuthenticationFailed(
        "Bu komut kimlik doğrulaması ister: --as KULLANICI (parola sorulur ya da --password-stdin ile "
        f"okunur) ya da {TOKEN_VARIABLE} ortam değişkeninde kişisel anahtar "
        "(publish.py users token KULLANICI ile alınır).", "no credentials given")
