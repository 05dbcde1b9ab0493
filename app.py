"""Gradio entry point: wiring only; every handler lives in pbm_nlp.

Run `python app.py` (or `make app`); binds 127.0.0.1 unless PBM_HOST says otherwise.
"""
from __future__ import annotations

import os


def main() -> None:
    import threading

    from starlette.middleware import Middleware

    from pbm_nlp import auth
    from pbm_nlp.resources import Resources
    from pbm_nlp.webui import CSS, ChineseLocale, build_app, warm_up

    host = os.environ.get("PBM_HOST", "127.0.0.1")
    users = auth.load_users()
    auth.check_bind(host, users)
    res = Resources.from_env()
    demo = build_app(res, users=users)
    threading.Thread(target=warm_up, args=(res,), name="pbm-warm-up", daemon=True).start()
    demo.queue(default_concurrency_limit=4).launch(
        server_name=host,
        server_port=int(os.environ.get("PBM_PORT", "7860")),
        auth=(lambda name, pw: name in users and users[name].check(pw)) if users else None,
        auth_message="pbm-nlp：请登录 / please sign in",
        max_file_size="20mb",
        show_error=True,
        css=CSS,
        app_kwargs={"middleware": [Middleware(ChineseLocale)]},  # Gradio's own texts in Chinese too
    )


if __name__ == "__main__":
    import sys

    from pbm_nlp.errors import PbmError

    try:
        main()
    except PbmError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        sys.exit(2)
