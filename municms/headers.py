"""The security headers every response of the public site carries, whoever serves it: the generated nginx
config, `publish.py serve`, and the far web server of an rsync target (README shows what it must send)."""

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    "X-Frame-Options": "DENY",
}


# The open data under /api/v1/ is read by other systems' web pages too (e-Belediye, apps, the open-data portal):
# any origin may read it. Only there: the pages themselves stay same-origin.
API_PREFIX = "/api/"
API_HEADERS = {"Access-Control-Allow-Origin": "*"}


class DefaultHeaders:
    """ASGI middleware: these headers on every HTTP answer that does not set them itself (names as given)."""

    def __init__(self, app, headers: dict[str, str]):
        self.app = app
        self.headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name.lower() not in present]
                if extra:
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
