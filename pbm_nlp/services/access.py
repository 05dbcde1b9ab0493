"""Who may do what, checked once in the service layer so that the CLI, the app and a batch job
enforce the same rules (README, "Access"):

- trainers: edit labels, add examples or themes, retrain, roll back, export the labelled corpus;
- evaluators and trainers: import documents, see the review queue;
- everyone: tag, suggest, lint, rectify, mine, parse.
"""
from __future__ import annotations

import logging

from ..errors import PbmError
from .schema import Actor

_ZH = {"drafter": "起草人", "evaluator": "评价人员", "trainer": "模型维护人员"}
log = logging.getLogger("pbm_nlp.access")


class PermissionDenied(PbmError):
    """The caller's role does not allow the operation."""


def require(actor: Actor | None, *roles: str) -> None:
    """Refuse unless ``actor`` has one of ``roles``; ``None`` means a trusted local caller (CLI)."""
    if actor is None or actor.role in roles:
        return
    log.warning("permission denied: user=%s role=%s needs=%s", actor.name, actor.role, "/".join(roles))
    zh = "或".join(_ZH[r] for r in roles)
    raise PermissionDenied(f"权限不足：此操作仅限{zh}（当前用户 {actor.name}）。",
                           f"permission denied: only a {' or '.join(roles)} may do this (user {actor.name}).")
