"""Gradio entry point: wiring only; every handler lives in pbm_nlp.

Run `python app.py` (or `make app`); binds 127.0.0.1 unless PBM_HOST says otherwise. In front of
every route: a Host/Origin allow-list and, with users configured, login throttling
(pbm_nlp.webui.security); handler threads and the waiting queue are capped (PBM_WORKERS,
PBM_QUEUE_SIZE); uploads are limited to PBM_MAX_FILE_BYTES and Gradio's temporary files are
removed after an hour.
"""
from __future__ import annotations

import os


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each new thread its own heap arena (up to 8 per core) and rarely returns their
    memory: under 40 concurrent clients the server's RSS kept climbing, with two arenas it levels
    off (benchmarks/soak.py). Must run before the handler threads start; MALLOC_ARENA_MAX wins."""
    import ctypes

    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def main() -> None:
    import logging
    import threading

    limit_malloc_arenas()

    from starlette.middleware import Middleware

    from pbm_nlp import auth
    from pbm_nlp.resources import Resources
    from pbm_nlp.webui import CSS, ChineseLocale, build_app, warm_up
    from pbm_nlp.webui.security import Gatekeeper, allowed_hosts, check_hosts

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own start-up checks
    host = os.environ.get("PBM_HOST", "127.0.0.1")
    users = auth.load_users()
    auth.check_bind(host, users)
    res = Resources.from_env(create_store=False)
    check_hosts(host, res.settings.allowed_hosts)
    res.store().close()  # a missing or broken store is a clear error now, not on the first request
    res.registry.sweep()  # build folders left by an interrupted training
    demo = build_app(res, users=users)
    demo.delete_cache = (1800, 3600)  # uploads and downloads older than an hour
    threading.Thread(target=warm_up, args=(res,), name="pbm-warm-up", daemon=True).start()
    gate = Middleware(Gatekeeper, hosts=allowed_hosts(host, res.settings.allowed_hosts),
                      throttle=auth.LoginThrottle() if users else None)
    demo.queue(default_concurrency_limit=2, max_size=res.settings.queue_size).launch(
        server_name=host,
        server_port=int(os.environ.get("PBM_PORT", "7860")),
        auth=(lambda name, pw: name in users and users[name].check(pw)) if users else None,
        auth_message="pbm-nlp：请登录 / please sign in",
        max_file_size=res.settings.max_file_bytes,
        max_threads=res.settings.workers,
        show_error=False,  # every handler's errors are shown by its guard; nothing else leaks to the page
        css=CSS,
        app_kwargs={"middleware": [gate, Middleware(ChineseLocale)]},  # host check; Gradio's own texts in Chinese too
    )


if __name__ == "__main__":
    import sys

    from pbm_nlp.errors import PbmError

    try:
        main()
    except PbmError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        sys.exit(2)
