"""The app's upload limit as ASGI middleware: a request body larger than the limit is refused with 413 before
the app reads it (a Content-Length above it), or cut off as soon as it grows past it (a chunked body)."""

from __future__ import annotations

import logging
from typing import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)
# Room for the form's own fields and the multipart framing around one largest attachment.
FORM_ALLOWANCE = 1_000_000


ATTACHMENTS_PER_REQUEST = 5


def upload_limit(instance) -> int:
    """The largest request body the app accepts: `editorial.max_request_bytes`, or five attachments of the
    largest allowed size and their form."""
    configured = instance.editorial.max_request_bytes
    return configured or ATTACHMENTS_PER_REQUEST * instance.attachments.max_bytes + FORM_ALLOWANCE


class BodyTooLarge(Exception):
    """Raised to the app from `receive` when the body grows past the limit; it never sees the rest."""


class BodyLimit:
    """Refuse request bodies above `limit` bytes with the response `refusal(scope)` builds (status 413)."""

    def __init__(self, app: ASGIApp, limit: int, refusal: Callable[[Scope], Response]):
        self.app, self.limit, self.refusal = app, limit, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            log.warning("request body of %d bytes refused (limit %d): %s %s", declared, self.limit,
                        scope["method"], scope["path"])
            await self.refusal(scope)(scope, receive, send)
            return
        await self._counted(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a `receive` that stops at the limit; once it has, whatever the app answers (an
        error page of its own, a 400 from a parser) is replaced by the refusal."""
        received, exceeded, started = 0, False, False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    raise BodyTooLarge(f"request body above {self.limit} bytes")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return   # the app's own answer to the cut-off body is dropped; the refusal goes instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            log.warning("chunked request body cut off above %d bytes: %s %s", self.limit, scope["method"],
                        scope["path"])
            await self.refusal(scope)(scope, _drained, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _drained() -> Message:
    return {"type": "http.disconnect"}

