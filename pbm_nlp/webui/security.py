"""What stands in front of the app's routes: a Host/Origin allow-list and login throttling.

- **Host/Origin.** A page on another site can make a browser send requests to 127.0.0.1 (and DNS
  rebinding makes such a page *look* same-origin), and in no-login mode every caller has trainer
  rights. So every request must name an allowed host in its ``Host`` header, and a browser's
  ``Origin`` (when present) must be an allowed host too: localhost names, the address the app
  binds, and those listed in ``PBM_ALLOWED_HOSTS``.
- **Login throttling.** Failed sign-ins are counted per user name and per client address
  (:class:`~pbm_nlp.auth.LoginThrottle`); a locked key gets HTTP 429 with ``Retry-After`` before
  the password is even looked at, and every failure or refusal is logged with the user name.

A plain ASGI middleware, so it sees every route Gradio has (pages, API, uploads, files); it also
adds a few standard response headers (no framing by other sites, no content sniffing).
"""
from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from ..auth import LOCAL_HOSTS, LoginThrottle
from ..errors import InputError

log = logging.getLogger("pbm_nlp.security")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
#: A sign-in form is a few hundred bytes; a larger body is not read (and not passed on).
MAX_LOGIN_BODY = 16_384


def allowed_hosts(bind: str, extra: str = "") -> frozenset[str]:
    """Localhost names, the bound address (unless a wildcard) and PBM_ALLOWED_HOSTS (comma-separated;
    ``*`` allows any host, for a deployment behind a proxy that checks it)."""
    hosts = set(LOCAL_HOSTS) | {h.strip().lower().strip("[]") for h in extra.split(",") if h.strip()}
    if bind not in ("0.0.0.0", "::", ""):
        hosts.add(bind.lower().strip("[]"))
    return frozenset(hosts)


def check_hosts(bind: str, extra: str) -> None:
    """Binding every address needs the names clients will use: say them, or ``*`` on purpose."""
    if bind in ("0.0.0.0", "::", "") and not extra.strip():
        raise InputError(f"绑定 {bind or '所有地址'} 时请用 PBM_ALLOWED_HOSTS 列出用户访问本服务所用的主机名或地址（逗号分隔）。",
                         f"binding {bind or 'every address'} needs PBM_ALLOWED_HOSTS: the host names or addresses "
                         "clients use to reach the app (comma-separated).")


def host_of(value: str) -> str:
    """The host name of a Host header ("example.org:7860", "[::1]:7860") or an Origin URL."""
    value = value.strip().lower()
    if "://" in value:
        return urllib.parse.urlsplit(value).hostname or ""
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else ""
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class Gatekeeper:
    """ASGI middleware: refuse requests for other hosts and throttle failed sign-ins."""

    def __init__(self, app: Callable[..., Awaitable[None]], hosts: Iterable[str],
                 throttle: LoginThrottle | None = None):
        self.app = app
        self.hosts = frozenset(hosts)
        self.throttle = throttle

    def host_ok(self, scope: Scope) -> bool:
        if "*" in self.hosts:
            return True
        host, origin = _header(scope, b"host"), _header(scope, b"origin")
        if host is None or host_of(host) not in self.hosts:
            return False
        return origin is None or host_of(origin) in self.hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        if not self.host_ok(scope):
            log.warning("refused request for host=%r origin=%r path=%s from %s", _header(scope, b"host"),
                        _header(scope, b"origin"), scope.get("path"), _client(scope))
            return await _refuse(scope, send, 403, "主机名不在允许列表中 / host not allowed (PBM_ALLOWED_HOSTS)")
        if self.throttle and scope["type"] == "http" and scope.get("method") == "POST" \
                and scope.get("path", "").rstrip("/").endswith("/login"):
            return await self._login(scope, receive, send, self.throttle)
        return await self.app(scope, receive, _with_headers(send) if scope["type"] == "http" else send)

    async def _login(self, scope: Scope, receive: Receive, send: Send, throttle: LoginThrottle) -> None:
        body = await _body(receive)
        if body is None:
            return await _refuse(scope, send, 413, "登录请求过大 / sign-in request too large")
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        user = (form.get("username") or [""])[0].strip()[:100]
        addr = _client(scope)
        keys = (f"user:{user}", f"addr:{addr}")
        wait = throttle.wait(*keys)
        if wait > 0:
            log.warning("login refused: user=%r from %s, locked for %.0f s more", user, addr, wait)
            return await _refuse(scope, send, 429, f"登录失败次数过多，请 {wait:.0f} 秒后再试 / too many failed "
                                 f"sign-ins: try again in {wait:.0f} s", {"retry-after": str(int(wait) + 1)})
        status: list[int] = []

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, replay, _with_headers(watch))
        if status and status[0] < 300:
            throttle.succeeded(*keys)
            log.info("login: user=%r from %s", user, addr)
        else:
            locked = throttle.failed(*keys)
            log.warning("login failed: user=%r from %s%s", user, addr,
                        f", locked for {locked:.0f} s" if locked else "")


#: Sent with every response: no framing by other sites (clickjacking), no content-type guessing,
#: no full URLs in the Referer sent to other sites.
SECURITY_HEADERS = [(b"x-frame-options", b"SAMEORIGIN"), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin")]


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", ())}
            message["headers"] = list(message.get("headers", ())) + [
                (k, v) for k, v in SECURITY_HEADERS if k not in present]
        await send(message)
    return wrapped


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


async def _body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_LOGIN_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _refuse(scope: Scope, send: Send, status: int, text: str, headers: dict[str, str] | None = None) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"detail": text}, ensure_ascii=False).encode("utf-8")
    head = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
            *SECURITY_HEADERS]
    head += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})
