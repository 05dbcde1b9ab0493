"""What trainers did lately: the recent label edits (with who and when), and undoing one."""
from __future__ import annotations

import html
import json
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from ...services.schema import Actor
from .common import fmt_themes, theme_names

HISTORY_HEADERS = ["时间", "编号", "审阅人", "操作", "原标签", "新标签", "文本"]
ACTIONS = {"relabel": "修改标签", "review": "修改标签", "accept": "确认标签", "add": "新增样本", "undo": "撤销修改"}


def _themes(value: str | None, names: dict[str, str]) -> str:
    return "—" if value is None else fmt_themes(json.loads(value), names)


def recent_rows(res: Resources, actor: Actor, limit: int = 30) -> list[list[Any]]:
    """The latest edits, newest first: a reviewed example stays findable after it leaves the queue."""
    names = theme_names()
    return [[e["at"], e["annotation_id"], e["reviewer"], ACTIONS.get(e["action"], e["action"]),
             _themes(e["old_themes"], names), _themes(e["new_themes"], names), e["text"]]
            for e in services.review.edit_history(res, limit=limit, actor=actor)]


def undo(res: Resources, actor: Actor, annotation_id: Any) -> tuple[str, list[str]]:
    """Undo the example's last label edit: (message, the labels it has again)."""
    if annotation_id in (None, ""):
        raise InputError("请先输入或选择样本编号。", "enter or select an example id first.")
    had, restored = services.review.undo_last_edit(res, int(annotation_id), actor=actor)
    names = theme_names()
    return (f"已撤销样本 {int(annotation_id)} 的最近一次修改：{fmt_themes(had, names)} → {fmt_themes(restored, names)}"
            f"（审阅人 {html.escape(actor.name)}）；该样本回到审阅队列。"), restored
