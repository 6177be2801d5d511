"""Security headers on every response, errors included.

A plain ASGI middleware: it adds the headers to the start of each response as it goes out,
without Starlette's `BaseHTTPMiddleware` (which runs every request through an extra task and
a stream of the body, and cost a third of the server's time under load).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'none'; object-src 'none'; "
                           "base-uri 'none'")

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

API_PREFIX = "/api/"

_RawHeaders = list[tuple[bytes, bytes]]


def _raw(headers: dict[str, str]) -> _RawHeaders:
    return [(name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers.items()]


_PAGE_HEADERS = _raw(HEADERS)
_API_HEADERS = _raw({**HEADERS, "Cache-Control": "no-store"})


def _with(raw: _RawHeaders, added: _RawHeaders) -> _RawHeaders:
    """`raw` with the `added` headers, replacing any of the same name."""
    names = {name for name, _ in added}
    return [header for header in raw if header[0].lower() not in names] + added


class SecurityHeaders:
    """Sets the headers; API answers are never cached (they may name protected persons)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = _API_HEADERS if str(scope["path"]).startswith(API_PREFIX) else _PAGE_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with(list(message.get("headers", ())), added)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
