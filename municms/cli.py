"""Command line front end: parse arguments, call one action, turn errors into messages (exit 0/1/2)."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys

from .commands import MODULES
from .errors import MunicmsError, ValidationError

log = logging.getLogger("municms")


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors, which is our contract; only the prefix is localised."""

    def error(self, message: str):  # noqa: D102
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kullanım hatası (usage error): {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="publish.py", description="municms: belediye web sitesi yayın sistemi")
    parser.add_argument("--instance", metavar="DIR", help="kurulum klasörü (instance.yaml'ın bulunduğu yer)")
    parser.add_argument("--json", action="store_true", help="makine tarafından okunabilir JSON çıktı")
    parser.add_argument("-v", "--verbose", action="store_true", help="ayrıntılı günlük")
    sub = parser.add_subparsers(dest="command", metavar="KOMUT", parser_class=_Parser)
    sub.required = True
    for name in MODULES:
        module = importlib.import_module(f".commands.{name}", __package__)
        module.register(sub)
    return parser


def report_error(exc: MunicmsError, as_json: bool) -> None:
    """The one place where errors become user messages: Turkish for people, detail in the log."""
    log.debug("error detail: %s", exc, exc_info=exc)
    if as_json:
        payload = {"ok": False, "error": type(exc).__name__, "message": exc.message_tr,
                   "message_en": exc.message_en}
        if isinstance(exc, ValidationError):
            payload["problems"] = [p.__dict__ for p in exc.problems]
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    text = exc.format_tr() if isinstance(exc, ValidationError) else exc.message_tr
    print(f"HATA: {text}", file=sys.stderr)
    if isinstance(exc, ValidationError):
        print(str(exc), file=sys.stderr)  # English detail for logs


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    # --json may also follow the subcommand
    as_json = bool(getattr(args, "json", False))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        code = args.handler(args)
    except MunicmsError as exc:
        report_error(exc, as_json)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a full disk met anywhere below: a clear message, not a traceback
        from .health import disk_full, is_disk_full
        if not is_disk_full(exc):
            raise
        error = disk_full(exc)
        report_error(error, as_json)
        sys.exit(error.exit_code)
    sys.exit(code or 0)


def emit(args: argparse.Namespace, payload, text: str) -> None:
    """Print a result: JSON when --json was given, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    elif text:
        print(text)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Let --json follow the subcommand too (`publish.py list --json`)."""
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="makine tarafından okunabilir JSON çıktı")
