"""The page in Chinese whatever the browser's language.

Gradio 6 picks the language of its own texts ("Drop File Here", "Error", the settings) from
``navigator.language`` once, when its front end starts, and its components do not follow a later
change of locale. So the page is served with a small script, ahead of Gradio's own, that makes
``navigator.language`` read zh-CN; Gradio then starts in Chinese (its zh-CN translation ships
with it). A user can still pick another language in Gradio's settings.

:class:`ChineseLocale` is an ASGI middleware given to Gradio's FastAPI app (``app_kwargs``); it
rewrites only HTML pages.

Gradio 6.31's front end also titles every error toast "Error" whatever title the server sends
(it reads ``status._title`` where the client stored ``status.title``), so the script renames
the toast titles it finds (Error, Warning, Info) to 错误, 警告, 提示, and the table tooltips it leaves in
English (Copy table data, Fullscreen …) likewise; a checkbox whose tooltip is its value (a theme id)
gets its Chinese label as tooltip.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

LOCALE = "zh-CN"
TOAST_TITLES = {"Error": "错误", "Warning": "警告", "Info": "提示"}
#: Tooltips Gradio 6.31 leaves in English whatever the locale.
TOOLTIPS = {"Copy table data": "复制表格数据", "Fullscreen": "全屏", "Exit fullscreen": "退出全屏", "Download": "下载",
            "Share": "分享", "Copy": "复制", "Copied": "已复制", "Add row": "添加行", "Open cell menu": "单元格菜单"}
SCRIPT = (
    "<script>(function(){var l=" f'"{LOCALE}"' ";try{"
    'Object.defineProperty(Navigator.prototype,"language",{get:function(){return l},configurable:true});'
    'Object.defineProperty(Navigator.prototype,"languages",{get:function(){return [l,"zh"]},configurable:true});'
    "}catch(e){}document.documentElement.lang=l;"
    "var t=" + json.dumps(TOAST_TITLES, ensure_ascii=False) + ";"
    "function zh(){document.querySelectorAll('.toast-title').forEach(function(el){el.childNodes.forEach(function(n){"
    "var k=n.nodeType===3&&n.textContent.trim();if(k&&t[k]){n.textContent=n.textContent.replace(k,t[k]);}});});}"
    "var a=" + json.dumps(TOOLTIPS, ensure_ascii=False) + ";"
    "function tips(){document.querySelectorAll('[title],[aria-label]').forEach(function(el){['title','aria-label']"
    ".forEach(function(k){var v=el.getAttribute(k);if(v&&a[v]){el.setAttribute(k,a[v]);}"
    # a checkbox's tooltip is its value (a theme id): show its Chinese label instead
    "else if(k==='title'&&v&&/^[a-z_]+$/.test(v)&&el.type==='checkbox'&&el.parentElement"
    "&&/[^\\x00-\\x7f]/.test(el.parentElement.textContent)){el.setAttribute(k,el.parentElement.textContent.trim());}"
    "});});}"
    "var p=0;function run(){p=0;zh();tips();}"
    "new MutationObserver(function(){if(!p){p=setTimeout(run,30);}})"
    ".observe(document.documentElement,{childList:true,subtree:true});"
    "})();</script>"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def localise(page: bytes) -> bytes:
    """An HTML page with the locale script first in its <head> and lang="zh-CN"."""
    page = page.replace(b'<html\n\tlang="en"', f'<html\n\tlang="{LOCALE}"'.encode(), 1)
    head = page.find(b"<head>")
    if head < 0:
        return page
    at = head + len(b"<head>")
    return page[:at] + SCRIPT.encode() + page[at:]


class ChineseLocale:
    """ASGI middleware: HTML responses get :func:`localise`; everything else passes untouched."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None  # the held response start of an HTML page
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if html and b"content-encoding" not in headers:
                    start = message
                    return
            if start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = localise(b"".join(body))
            headers = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
            await send({**start, "headers": headers + [(b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, capture)
