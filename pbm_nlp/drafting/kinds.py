"""Project kinds: the twelve the reference library is organised by, and inferring one from a draft.

Forms state a kind only loosely (2018/2019: 资金用途 信息化建设类; 2023: 项目类别 其他运转类, which
says nothing). The kind decides which reference indicators fit and which do not, so it is
inferred from the name and overview when the form does not give a usable one: keyword cues
(the activity word at the end of the name weighs most: 长者食堂**补贴** is a subsidy, not
catering) plus the encoder's similarity to examples of each kind from the corpus.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .names import project_core

KINDS: tuple[str, ...] = ("信息化建设", "信息化运维", "会议", "培训", "宣传", "课题调研", "后勤服务", "政府购买服务",
                          "设备购置", "基本建设", "补助补贴", "运维养护")

#: Cue words per kind. Specific multi-character cues; the name's activity word weighs most.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "信息化建设": ("系统建设", "平台建设", "系统开发", "开发", "信息化建设", "软件", "信息系统", "系统", "平台", "数据库",
                "网站", "APP", "小程序", "智能化", "数字化", "大数据", "信息化", "无线网络", "网络覆盖", "电子政务",
                "智慧", "上线", "接口", "数据中心", "电子会务"),
    "信息化运维": ("运维", "运行维护", "系统维护", "网络维护", "机房运维", "等保", "等级保护", "安全服务", "云服务",
                "租用", "续费", "技术支持", "软件维护"),
    "会议": ("会议", "会务", "人代会", "常委会会议", "论坛", "研讨会", "座谈会", "年会", "峰会", "代表大会", "大会",
           "参会", "与会"),
    "培训": ("培训", "研修", "轮训", "学习班", "培训班", "继续教育", "讲座", "学员", "课程", "师资", "技能提升"),
    "宣传": ("宣传", "推广", "报道", "公益广告", "新媒体", "公众号", "刊物", "月刊", "期刊", "出版", "编辑发行", "宣传片",
           "展览", "科普", "传播", "发行", "编印", "宣讲"),
    "课题调研": ("课题", "调研", "研究", "论证", "评估", "咨询", "规划编制", "理论研究", "立法", "报告编制", "专题研究"),
    "后勤服务": ("后勤", "物业", "保安", "安保", "机关食堂", "机关服务", "办公楼", "会务布置", "车辆运行", "餐饮",
              "办公用房", "机关运行", "公务用车"),
    "政府购买服务": ("购买服务", "政府购买", "委托", "第三方", "外包", "社工", "专业服务", "社会组织", "养老服务",
                "居家养老", "法律援助", "心理咨询", "服务项目", "承接"),
    "设备购置": ("购置", "采购", "设备", "仪器", "器材", "装备", "配置", "硬件", "更新", "车辆购置", "机器"),
    "基本建设": ("新建", "扩建", "改建", "工程", "施工", "土建", "基建", "大修", "改造工程", "道路", "桥梁", "校舍",
              "场馆", "建设工程", "装修", "用房建设"),
    "补助补贴": ("补贴", "补助", "资助", "奖补", "奖励", "津贴", "救助", "扶持", "慰问", "助学", "抚恤", "发放", "以奖代补"),
    "运维养护": ("养护", "保洁", "维修", "管护", "绿化养护", "河道", "市政", "设施维护", "路灯", "公厕", "清运",
              "巡查", "疏浚", "修缮", "维护"),
}

#: Form kinds that name one of ours directly; anything else (其他运转类 …) is inferred.
FORM_KINDS = {"信息化建设类": "信息化建设", "信息化运维类": "信息化运维", "会议类": "会议", "培训类": "培训",
              "宣传类": "宣传", "课题调研类": "课题调研", "调研类": "课题调研", "后勤服务类": "后勤服务",
              "政府购买服务类": "政府购买服务", "购买服务类": "政府购买服务", "设备购置类": "设备购置",
              "基本建设类": "基本建设", "补助补贴类": "补助补贴", "补贴类": "补助补贴", "运维养护类": "运维养护",
              "养护类": "运维养护", "信息化类": "信息化建设"}


def form_kind(stated: str | None) -> str | None:
    """The kind a form states, if it is one of ours ('信息化建设类' → '信息化建设'); None for 其他运转类."""
    if not stated:
        return None
    s = stated.strip()
    if s in KINDS:
        return s
    return FORM_KINDS.get(s) or FORM_KINDS.get(s.rstrip("项目") + ("类" if not s.endswith("类") else ""))


@dataclass
class KindGuess:
    kind: str
    confidence: float
    source: str  # "given", "form" or "inferred"
    scores: dict[str, float]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "confidence": round(self.confidence, 3), "source": self.source,
                "alternatives": {k: round(v, 3) for k, v in sorted(self.scores.items(), key=lambda kv: -kv[1])[:3]}}


def project_text(project: str, overview: str = "", goal: str = "") -> str:
    """What the encoder reads of a project: name, overview and goal, cut to one encoder window.

    Every caller builds it the same way, so one embedding serves kind inference, ranking and risks.
    """
    return "。".join(t.strip() for t in (project, overview or "", goal or "") if t and t.strip())[:300]


@lru_cache(maxsize=1)
def kind_cues() -> dict[str, tuple[str, ...]]:
    """The cue words of each kind: the reference library's keywords plus the list above."""
    from .reference import load_reference

    ref = load_reference()
    return {k: tuple(dict.fromkeys(KEYWORDS[k] + tuple(ref[k].keywords if k in ref else ()))) for k in KINDS}


def keyword_scores(project: str, overview: str = "") -> dict[str, float]:
    """Cue hits: the activity word ending the name counts 3, the rest of the name 2, the overview 0.5 each."""
    core = project_core(project)
    text = re.sub(r"\s", "", overview or "")[:600]
    out: dict[str, float] = {}
    for kind, cues in kind_cues().items():
        s = 0.0
        for cue in cues:
            if core.endswith(cue) or re.search(re.escape(cue) + r"(?:类|项目)?$", core):
                s += 3.0
            elif cue in core:
                s += 2.0
            if cue in text:
                s += 0.5
        out[kind] = min(s, 6.0)
    return out


class KindInferer:
    """Infers a project's kind from its name and overview (keyword cues + encoder similarity).

    ``examples`` are (text, kind) pairs from the corpus: reference entries, labelled problem
    statements, store declarations whose form names a kind.
    """

    def __init__(self, encoder, examples: Sequence[tuple[str, str]], temperature: float = 0.15):
        self.encoder = encoder
        self.examples = list(examples)
        self.temperature = temperature
        self._emb: np.ndarray | None = None
        self._labels = np.array([k for _, k in self.examples])

    def _example_embeddings(self) -> np.ndarray:
        if self._emb is None:
            self._emb = self.encoder.encode([t for t, _ in self.examples])
        return self._emb

    def dense_scores(self, text: str) -> dict[str, float]:
        """Mean of the top-5 cosine similarities to each kind's examples."""
        if not self.examples:
            return {k: 0.0 for k in KINDS}
        q = self.encoder.encode([text])[0]
        sims = self._example_embeddings() @ q
        out = {}
        for kind in KINDS:
            s = np.sort(sims[self._labels == kind])[::-1][:5]
            out[kind] = float(s.mean()) if len(s) else 0.0
        return out

    def infer(self, project: str, overview: str = "", goal: str = "") -> KindGuess:
        text = project_text(project, overview, goal)
        dense = self.dense_scores(text)
        kw = keyword_scores(project, f"{overview or ''}{goal or ''}")
        # Centre the dense similarities: only their differences between kinds carry meaning.
        mean = float(np.mean(list(dense.values())))
        logits = np.array([(dense[k] - mean) * 20.0 + kw[k] for k in KINDS]) / (self.temperature * 10)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        scores = {k: float(v) for k, v in zip(KINDS, p)}
        best = max(scores, key=scores.get)
        return KindGuess(best, scores[best], "inferred", scores)

    def resolve(self, project: str, overview: str = "", goal: str = "", given: str | None = None) -> KindGuess:
        """The kind to use: a given one of ours wins, then the form's, else inferred."""
        if given and given.strip() in KINDS:
            return KindGuess(given.strip(), 1.0, "given", {given.strip(): 1.0})
        mapped = form_kind(given)
        if mapped:
            return KindGuess(mapped, 1.0, "form", {mapped: 1.0})
        return self.infer(project, overview, goal)
