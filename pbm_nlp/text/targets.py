"""Parse an indicator target value: ``=100(%)`` → ("=", 100.0, "%"); ``健全`` → qualitative."""
from __future__ import annotations

import re

from ..schema import Target
from .normalize import to_halfwidth

_OPS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "＝": "=", ">": ">", "<": "<",
        "不低于": "≥", "不少于": "≥", "不超过": "≤", "不高于": "≤", "大于等于": "≥", "小于等于": "≤",
        "达到": "≥", "高于": ">", "低于": "<", "大于": ">", "小于": "<", "以上": "≥", "以内": "≤"}
_TARGET = re.compile(
    r"^\s*(?P<op>≥|≤|>=|<=|=|>|<|不低于|不少于|不超过|不高于|大于等于|小于等于|达到|高于|低于|大于|小于)?\s*"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    r"[（(]?\s*(?P<unit>[%‰a-zA-Z\u4e00-\u9fff/*·]{0,8}?(?:[（(][\u4e00-\u9fff]{1,3}[)）])?)\s*[)）]?\s*"
    r"(?P<suffix>以上|以内|以下)?\s*$"
)

#: Qualitative target words seen in declarations; used to tell a target from a name fragment.
QUALITATIVE_WORDS = (
    "健全", "合规", "有效", "通过", "及时", "满足", "完整", "支持", "高效", "便捷", "效率提升", "完善",
    "达标", "提升", "保障", "良好", "运行良好", "实现", "规范", "公开", "共享", "应用", "推动", "提高",
    "优良", "相符", "与往年持平", "不低于往年水平", "明显提升", "显著提升", "逐步提升", "有所提升", "较好",
    "合理", "完成", "按时完成", "符合要求", "符合", "是", "否", "无", "到位", "准确", "安全", "稳定",
    "持续", "增强", "改善", "优化", "建立", "显著", "明显", "可持续", "优秀", "合格", "满意",
)
_QUAL_SET = frozenset(QUALITATIVE_WORDS)


def parse_target(raw: str) -> Target:
    text = to_halfwidth(raw).strip().replace(" ", "")
    m = _TARGET.match(text)
    if not m:
        return Target(raw=raw.strip(), qualitative=True)
    op = m.group("op")
    if op is None and m.group("suffix"):
        op = m.group("suffix")
    unit = (m.group("unit") or "").strip() or None
    return Target(
        raw=raw.strip(),
        operator=_OPS.get(op, op) if op else "=",
        value=float(m.group("num").replace(",", "")),
        unit=unit,
        qualitative=False,
    )


def looks_like_target(token: str) -> bool:
    """True for a numeric target (=100.00%, ≥1000, 100%) or a known qualitative target word."""
    token = to_halfwidth(token).strip()
    if not token:
        return False
    if token in _QUAL_SET:
        return True
    return bool(re.match(r"^(?:≥|≤|>=|<=|=|>|<)\s*\d", token)) or bool(re.match(r"^\d[\d,.]*\s*[（(]?%[)）]?$", token))


def split_glued_target(token: str) -> tuple[str, str] | None:
    """'项目动态管理机制健全性健全' → ('项目动态管理机制健全性', '健全'): PDF cells run together."""
    for word in sorted(_QUAL_SET, key=len, reverse=True):
        if len(word) >= 2 and token.endswith(word):
            head = token[: -len(word)]
            if len(head) >= 3 and head[-1] in "性率度况数量":
                return head, word
    return None
