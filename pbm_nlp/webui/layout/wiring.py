"""What every tab's wiring needs: the resources, the users, errors shown as gr.Error, the caller."""
from __future__ import annotations

import functools
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
        """Our errors become gr.Error with the Chinese message, titled 错误 (the page is Chinese; the
        English message goes to the server log, as one line: a user's mistake is not a traceback)."""
        import gradio as gr

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except PbmError as exc:
                log.warning("user input refused in %s: %s", fn.__name__, exc.en)
                raise gr.Error(exc.zh, title="错误", print_exception=False) from exc
        return inner

    def actor(self, request: Any, typed: str = "") -> Actor:
        """The signed-in user with their role; in no-login mode the local user (typed name, if any)."""
        name = getattr(request, "username", None) if request is not None else None
        if not self.users:
            return Actor.local((typed or "").strip() or "local")
        return Actor(name or "anonymous", auth.role_of(name, self.users))
