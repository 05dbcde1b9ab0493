"""Indicator and project names: reusable cores, comparison keys, a project's object and activity.

"老干部综合信息管理系统建设完成率" is only reusable as "系统建设完成率": the library keeps the
core, and the suggester puts a new project's own object back in front of it.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..text.normalize import strip_quotes, to_halfwidth

_YEAR = r"(?:19|20)\d{2}\s*(?:年度|年)?"
_PREFIX = re.compile(
    rf"^(?:{_YEAR})?(?:上海市|上海|北京市|本市|全市|市级|区级|本级|市|区|县|镇|街道)?"
    r"(?:人大常委会办公厅|人大常委会|人大机关|人大|常委会)?(?:" + _YEAR + ")?"
)
_SUFFIX = re.compile(r"(?:专项经费|项目经费|工作经费|经费|专项资金|资金|专项|项目|费用|费|工程)+$")
#: Words naming what is done to the object; the object is what remains before them.
ACTIVITIES = (
    "建设", "开发", "升级改造", "改造", "升级", "运维", "运行维护", "维护", "购置", "采购", "购买", "补贴", "补助",
    "资助", "奖补", "养护", "保洁", "维修", "修缮", "宣传", "培训", "调研", "研究", "服务", "管理", "编辑发行",
    "编印", "印制", "举办", "召开", "保障", "整治", "提升", "新建", "扩建", "安装", "部署", "运营",
)
_ACT_TAIL = re.compile(r"(?:" + "|".join(sorted(ACTIVITIES, key=len, reverse=True)) + r")+$")
#: Generic heads kept when a project's own words are stripped off an indicator name.
_HEADS = ("系统", "平台", "网络", "会议", "培训", "宣传", "调研", "课题", "设备", "工程", "服务", "项目", "活动",
          "网站", "数据库", "机房", "食堂", "窗口", "教材", "刊物", "补贴", "补助")
_PUNCT = re.compile(r"[\s\"“”‘’'《》〈〉()（）【】\[\]、，,。.:：;；·\-—_/]")


def project_core(project: str) -> str:
    """The project's name without unit, year and fund words: "上海市人大…系统建设经费" → "…系统建设"."""
    name = strip_quotes(to_halfwidth(project or "").strip())
    name = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    prev = None
    while prev != name:
        prev = name
        name = _PREFIX.sub("", name, count=1) if len(_PREFIX.sub("", name, count=1)) >= 2 else name
        stripped = _SUFFIX.sub("", name)
        name = stripped if len(stripped) >= 2 else name
    return name.strip("“”\"")


def project_object(project: str) -> tuple[str, str]:
    """(object, activity): "河道保洁养护" → ("河道", "保洁养护"); "医疗设备购置" → ("医疗设备", "购置")."""
    core = project_core(project)
    m = _ACT_TAIL.search(core)
    if m and m.start() >= 2:
        obj, act = core[: m.start()], core[m.start():]
        trimmed = re.sub(r"(?:日常|综合|专项|年度)$", "", obj)
        return (trimmed if len(trimmed) >= 2 else obj), act
    return core, ""


def core_name(indicator: str, project: str) -> str:
    """Strip the project's own words from the front of an indicator name, keeping a generic head.

    "老干部综合信息管理系统建设完成率" in "上海市人大老干部综合信息管理系统建设经费" → "系统建设完成率".
    """
    name = to_halfwidth(indicator).strip()
    proj = to_halfwidth(project or "")
    k = 0
    while k < len(name) and name[: k + 1] in proj:
        k += 1
    if k < 3:
        return name
    prefix = name[:k]
    head = max((prefix.rfind(h), h) for h in _HEADS)
    cut = head[0] if head[0] >= 0 else max(k - 2, 0)
    rest = name[cut:]
    return rest if len(rest) >= 3 else name


def key(name: str) -> str:
    """A comparison key: no punctuation, no 的, 及时性/及时率 and trailing 情况/性 unified."""
    s = _PUNCT.sub("", to_halfwidth(name))
    s = s.replace("的", "")
    s = re.sub(r"及时(?:性|率)", "及时", s)
    s = re.sub(r"(?:情况|程度|水平)$", "", s)
    return s


def similar(a: str, b: str) -> float:
    """Character-sequence similarity of two names' keys (0–1)."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return 0.0
    return SequenceMatcher(None, ka, kb).ratio()


def fill(template: str, obj: str) -> str:
    """Put the project's object into a reference template: "{object}验收合格率"."""
    out = template.replace("{object}", obj).replace("{对象}", obj)
    return re.sub(r"(.{2,})\1", r"\1", out) if obj else out
