"""Who may use the office's register, and proof that a form was sent from its own pages.

Why each piece is here:

* **Where it listens.** On 127.0.0.1 only people at this computer reach it, so no password is
  asked. Anywhere else (0.0.0.0, the office network) the server refuses to start without a
  token (:func:`listen_problem`): a register of the office's work is not published by mistake.
* **The token.** Pages take it once through ``/login`` and then carry a cookie that names no
  token: ``issued.HMAC(secret, issued)``, valid for :data:`LOGIN_HOURS` and until the server
  restarts (the secret is drawn at start). The JSON API takes ``Authorization: Bearer TOKEN``
  on every call and never the cookie, so a page of another site cannot drive it with the
  clerk's cookie. Tokens are compared with :func:`secrets.compare_digest`.
* **CSRF.** Every visitor gets a random session cookie (HttpOnly, SameSite=Lax); each form
  carries ``HMAC(secret, session)`` in a hidden field and a POST whose field does not match
  its cookie is refused (403). Another site can neither read the cookie nor compute the field.
  A POST with an ``Origin`` header naming another host is refused too, forms and API alike:
  without a token, that is what keeps a web page from posting to the API on 127.0.0.1.
* **Host header.** On loopback only loopback names are accepted, against DNS rebinding (a
  hostile name that resolves to 127.0.0.1 would otherwise reach the open pages).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import TOKEN_ENV

MIN_TOKEN_LENGTH = 12
SESSION_COOKIE = "ne_session"
LOGIN_COOKIE = "ne_login"
CSRF_FIELD = "csrf"
LOGIN_HOURS = 12
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PUBLIC_PREFIXES = ("/static/", "/login")  # reachable before logging in


class CsrfFailure(Exception):
    """A form came without the token of the session it was sent in."""


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this computer can reach."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def listen_problem(host: str, token: str | None) -> str | None:
    """Why the server must not start on ``host`` with ``token``, in one line; None if it may."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        return (f"the token is too short ({len(token)} characters; at least {MIN_TOKEN_LENGTH}); make one with: "
                f"python -c \"import secrets; print(secrets.token_urlsafe())\"")
    if token is None and not is_loopback(host):
        return (f"refusing to listen on {host} without a token: anyone on the network could read and change the "
                f"register. Give --token TOKEN (or set {TOKEN_ENV}), or listen on 127.0.0.1")
    return None


def _sign(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def host_of(header: str) -> str:
    """The host name of a Host header or an origin's netloc, without the port: '[::1]:8000' → '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


@dataclass
class Guard:
    """The token, the server's secret and the checks made with them."""

    token: str | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    allowed_hosts: frozenset[str] | None = None  # None: any Host header

    # --- the token ---------------------------------------------------------------------------

    @property
    def required(self) -> bool:
        return self.token is not None

    def token_matches(self, given: str | None) -> bool:
        if self.token is None:
            return True
        return given is not None and secrets.compare_digest(given.encode(), self.token.encode())

    def login_cookie(self, now: float | None = None) -> str:
        issued = str(int(now if now is not None else time.time()))
        return f"{issued}.{_sign(self.secret, 'login:' + issued)}"

    def logged_in(self, request: Request) -> bool:
        if self.token is None:
            return True
        value = request.cookies.get(LOGIN_COOKIE, "")
        issued, _, mac = value.partition(".")
        if not issued.isdigit() or not secrets.compare_digest(mac.encode(), _sign(self.secret, "login:" + issued).encode()):
            return False
        return 0 <= time.time() - int(issued) < LOGIN_HOURS * 3600

    def api_allowed(self, request: Request) -> bool:
        if self.token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_matches(given.strip())

    # --- CSRF --------------------------------------------------------------------------------

    def csrf_token(self, request: Request) -> str:
        return _sign(self.secret, "csrf:" + request.state.session)

    def check_csrf(self, request: Request, given: Any) -> None:
        """Raise :class:`CsrfFailure` unless ``given`` is the token of the request's own session."""
        session = request.cookies.get(SESSION_COOKIE)
        if not session or not isinstance(given, str) or not given:
            raise CsrfFailure
        if not secrets.compare_digest(given.encode(), _sign(self.secret, "csrf:" + session).encode()):
            raise CsrfFailure

    # --- where a request comes from ----------------------------------------------------------

    def host_allowed(self, headers: Headers) -> bool:
        return self.allowed_hosts is None or host_of(headers.get("host", "")) in self.allowed_hosts

    @staticmethod
    def same_origin(headers: Headers) -> bool:
        """A request without an Origin header (not from a browser page, or a same-origin GET) passes."""
        origin = headers.get("origin")
        if origin is None:
            return True
        netloc = origin.split("://", 1)[1] if "://" in origin else ""
        return bool(netloc) and netloc.lower() == headers.get("host", "").lower()


Responder = Callable[[Scope, Receive, Send], Awaitable[None]]


class GuardMiddleware:
    """Host and origin checks, the session cookie, the login wall and the security headers, for
    every request before any route sees it."""

    def __init__(self, app: ASGIApp, guard: Guard, *, refuse: Callable[[Request, int, str], Responder]) -> None:
        self.app, self.guard, self.refuse = app, guard, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        headers = request.headers
        path = scope["path"]
        session = request.cookies.get(SESSION_COOKIE)
        new_session = not session or len(session) > 100
        if new_session:
            session = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["session"] = session
        send = _with_headers(send, session if new_session and not path.startswith("/static/") else None, request)
        if not self.guard.host_allowed(headers):
            await self.refuse(request, 400, "host")(scope, receive, send)
        elif scope["method"] in UNSAFE_METHODS and not self.guard.same_origin(headers):
            await self.refuse(request, 403, "origin")(scope, receive, send)
        elif path == "/api" or path.startswith("/api/"):
            if openapi_path(path) or self.guard.api_allowed(request):
                await self.app(scope, receive, send)
            else:
                await self.refuse(request, 401, "api")(scope, receive, send)
        elif not path.startswith(PUBLIC_PREFIXES) and not self.guard.logged_in(request):
            await self.refuse(request, 401, "login")(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def openapi_path(path: str) -> bool:
    return path == "/api/openapi.json"


def _with_headers(send: Send, new_session: str | None, request: Request) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            raw = list(message.get("headers", []))
            names = {k.lower() for k, _ in raw}
            for name, value in SECURITY_HEADERS:
                if name not in names:
                    raw.append((name, value))
            if new_session is not None:
                raw.append((b"set-cookie", cookie_header(SESSION_COOKIE, new_session, request).encode("latin-1")))
            message = {**message, "headers": raw}
        await send(message)

    return sending


SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


def cookie_header(name: str, value: str, request: Request, *, max_age: int | None = None) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"  # Strict would drop the login when a link from mail opens the register
    if request.url.scheme == "https":
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()
