"""What every tab's wiring needs: the resources, the users, errors shown as gr.Error, the caller."""
from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ... import auth
from ...errors import PbmError
from ...resources import Resources
from ...services.schema import Actor

log = logging.getLogger("pbm_nlp.webui")


@dataclass
class Wiring:
    res: Resources
    users: dict[str, auth.User]
    #: (function, outputs, api name) to run when a page loads, so what is read from the store is current
    loads: list[tuple[Callable[..., Any], list[Any], str | None]] = field(default_factory=list)

    def on_load(self, fn: Callable[..., Any], outputs: list[Any], api_name: str | None = None) -> None:
        self.loads.append((fn, outputs, api_name))

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Every error becomes a gr.Error pop-up titled 错误: ours with the Chinese message (the page is
        Chinese; the English one goes to the server log, as one line), anything else as an internal
        error (its traceback goes to the server log, not to the page). The pop-up renders HTML, and a
        message may quote the document (a file name, a project, the start of a text), so it is
        escaped: a link or an image in a document shows as text."""
        import gradio as gr

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except gr.Error:
                raise
            except PbmError as exc:
                log.warning("user input refused in %s: %s", fn.__name__, exc.en)
                raise gr.Error(html.escape(exc.zh), title="错误", print_exception=False) from exc
            except Exception as exc:
                log.exception("internal error in %s", fn.__name__)
                raise gr.Error(f"内部错误，已记录在服务器日志中，请联系管理员（{html.escape(type(exc).__name__)}）。",
                               title="错误", print_exception=False) from exc
        return inner

    def actor(self, request: Any, typed: str = "") -> Actor:
        """The signed-in user with their role; in no-login mode the local user (typed name, if any)."""
        name = getattr(request, "username", None) if request is not None else None
        if not self.users:
            return Actor.local((typed or "").strip() or "local")
        return Actor(name or "anonymous", auth.role_of(name, self.users))
