"""The checker's rules, one function each, reading a Draft the way an evaluator would.

Each rule returns Findings with a Chinese message, a concrete rewrite and the evaluation theme
it pre-empts (almost always 指标不明确: the complaint evaluators make most). The tables below are
about indicator *meaning* (what a rate, a speed or a 故障率 is), not about the seeds' strings,
so that drafts nobody has seen are judged the same way.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from ..text.normalize import to_halfwidth
from ..text.tokenize import stopwords, words
from . import frame
from .draft import Draft, Row
from .kinds import keyword_scores, project_text
from .measure import (
    ALLOWED_UNITS,
    DEFAULT_UNIT,
    POSITIVE_RATE,
    format_target,
    measure_type,
    mentioned_types,
    polarity,
    unit_family,
)
from .names import core_name, key, project_core, similar

#: How a finding's severity reads in Chinese (tables, exports).
SEVERITY_ZH = {"error": "错误", "warn": "警告", "info": "提示"}

RULES = ("vague_target", "wrong_direction", "kind_mismatch", "unit_mismatch", "stale_year", "goal_mismatch",
         "missing_dimension", "duplicate_indicator", "boilerplate_set")


@dataclass
class Finding:
    rule: str
    severity: str  # error | warn | info
    indicator: str | None
    message: str
    fix: str
    theme: str

    def as_dict(self) -> dict:
        return asdict(self)


# ---- vague_target -------------------------------------------------------------------------------

_NO_NUMBER = re.compile(r"(?:合规性|健全性)$")
#: A deadline ("年底前", "会后15个工作日内") or any target with a number in it can be measured.
_DATE = re.compile(r"\d|年底|年末|季度|月底|月末|上半年|下半年")


def _planned(row: Row, draft: Draft) -> str | None:
    """The overview's own number for a quantity row (保洁养护河道长度 ← 总长63.5公里), if it has one."""
    from .plan import read_plan

    typ = measure_type(row.name) or "count"
    fits = [q for q in read_plan(draft.overview, draft.goals).quantities if (unit_family(q.unit) or "count") == typ]
    if not fits:
        return None
    best = max(fits, key=lambda q: similar(q.obj + q.verb, row.name))
    return f"{row.name} {format_target('≥', best.number, best.unit)}"


def _quantified_rewrite(row: Row, draft: Draft | None = None) -> str:
    """A numeric version of a qualitatively targeted output indicator."""
    planned = _planned(row, draft) if draft is not None and row.frame_l2 == frame.QUANTITY else None
    if planned:
        return planned
    if polarity(row.name) == -1:
        return _negative_fix(row)
    stem = re.sub(r"(?:情况|程度|水平|性|度)$", "", row.name)
    if stem.endswith("规范"):
        return f"{stem[:-2]}合规率 =100%"
    if row.frame_l2 == frame.TIMELINESS:
        name = stem if stem.endswith(("及时率", "率")) else re.sub(r"及时$", "", stem) + "及时率"
        return f"{name} =100%"
    if measure_type(row.name) == "rate":
        return f"{row.name} {'=100%' if re.search(r'完成|合格|通过|验收|到位|达标', row.name) else '≥95%'}"
    if row.frame_l2 == frame.QUALITY:
        if stem.endswith(("合格", "达标", "通过")):
            return f"{stem}率 =100%"
        return f"{stem}{'验收合格率' if not re.search(r'质量|验收', stem) else '合格率'} =100%"
    if row.frame_l2 == frame.COST:
        return f"{stem}控制数 ≤预算批复金额（万元）"
    return f"{stem}完成率 =100%" if not stem.endswith("完成") else f"{stem}率 =100%"


def vague_target(draft: Draft, **_) -> list[Finding]:
    out = []
    for row in draft.rows:
        if row.frame_l1 != frame.OUTPUT:
            continue
        p = row.parsed
        if p.placeholder:
            out.append(Finding("vague_target", "error", row.name,
                               f"产出指标“{row.name}”的指标值“{row.target or '（空）'}”未填写具体数值。",
                               _quantified_rewrite(row, draft), "indicator_unclear"))
        elif p.qualitative and not _NO_NUMBER.search(row.name) and not _DATE.search(row.target):
            out.append(Finding("vague_target", "warn", row.name,
                               f"产出指标“{row.name}”的指标值“{row.target}”是定性表述，评价时无法衡量完成程度，应量化。",
                               _quantified_rewrite(row, draft), "indicator_unclear"))
    return out


# ---- wrong_direction ---------------------------------------------------------------------------

_ZERO_TOLERANCE = re.compile(r"事故|安全事件|违规|违纪|违法|泄露|泄漏|重大|死亡")
_RISE_WORDS = re.compile(r"提升|提高|增加|增长|扩大|上升|增强")


def _negative_fix(row: Row) -> str:
    unit = row.parsed.unit or ("%" if measure_type(row.name) == "rate" else "次")
    if _ZERO_TOLERANCE.search(row.name) or measure_type(row.name) == "count":
        return f"{row.name} =0{'' if unit == '%' else unit}" if unit != "%" else f"{row.name} =0%"
    if measure_type(row.name) == "time":
        return f"{row.name} ≤{format_target('', row.parsed.value or 2, '')}{unit}"
    v = row.parsed.value
    return f"{row.name} ≤{v:g}%" if v is not None and 0 < v < 50 else f"{row.name} ≤2%"


def wrong_direction(draft: Draft, **_) -> list[Finding]:
    out = []
    for row in draft.rows:
        pol, p = polarity(row.name), row.parsed
        if pol == -1:
            bad, sev = False, "error"
            if p.value is not None and p.operator in ("≥", ">") and p.value > 0:
                bad = True
            elif p.value is not None and p.operator == "=" and p.value > 0:
                bad, sev = True, ("error" if (p.unit == "%" and p.value >= 50) or p.value >= 100 else "warn")
            elif p.qualitative and _RISE_WORDS.search(row.target):
                bad = True
            if bad:
                what = "越低越好" if measure_type(row.name) != "time" else "越短越好"
                out.append(Finding("wrong_direction", sev, row.name,
                                   f"“{row.name}”是反向指标（{what}），指标值“{row.target}”却鼓励其更多发生，方向写反了。",
                                   _negative_fix(row), "indicator_unclear"))
        elif pol == 1 and p.value is not None and POSITIVE_RATE.search(row.name):
            if p.operator in ("≤", "<"):
                out.append(Finding("wrong_direction", "warn", row.name,
                                   f"“{row.name}”是正向指标（越高越好），指标值“{row.target}”却设了上限。",
                                   f"{row.name} ≥{p.value:g}{p.unit or ''}", "indicator_unclear"))
            elif p.value == 0 and p.operator in ("=", "≥", None):
                out.append(Finding("wrong_direction", "error", row.name,
                                   f"“{row.name}”是正向指标，指标值“{row.target}”等于零，达成与否没有区别。",
                                   f"{row.name} =100%", "indicator_unclear"))
    return out


# ---- kind_mismatch -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Family:
    """Indicators that only make sense for some kinds, unless the project itself talks about them."""

    label: str
    pattern: str
    kinds: frozenset[str]
    topic: str  # words in the project's own text that make the indicator fit after all
    spare: str = ""  # names that fit any kind although they match (设备操作培训 comes with equipment)

    def matches(self, row: Row) -> bool:
        text = row.name + ("生态效益" if row.frame_l2 == frame.ECOLOGICAL and self.label == "生态效益" else "")
        return bool(re.search(self.pattern, text)) and not (self.spare and re.search(self.spare, row.name))


FAMILIES: tuple[Family, ...] = (
    Family("施工安全", r"施工|工程安全|安全生产事故|竣工财务|财务竣工|竣工决算|竣工报告", frozenset({"基本建设", "运维养护"}),
           r"施工|工程|土建|装修|布线|机房|管线|安装"),
    Family("生态效益", r"生态|环境效益|节能|减排|碳排放|污染|水质|空气质量|绿化覆盖", frozenset({"基本建设", "运维养护", "补助补贴", "后勤服务", "政府购买服务"}),
           r"生态|环境|环保|绿化|节能|减排|垃圾|河道|水体|污染|碳|能耗|节水|节电"),
    Family("经济拉动", r"财政投入乘数|投入乘数|撬动|拉动|带动.{0,6}投资|社会资本|税收|产值|GDP|经济增长", frozenset({"补助补贴", "基本建设"}),
           r"招商|产业|经济增长|投资|企业|创业|消费|旅游|融资|社会资本"),
    Family("农户增收", r"农户|农民|户均增收|人均增收|增收|种植|养殖户", frozenset({"补助补贴", "基本建设", "培训"}),
           r"农|乡村|村民|种植|养殖|扶贫|帮扶|脱贫|增收|收入"),
    Family("网络速率", r"传递速度|传输速度|传输速率|网速|带宽|吞吐", frozenset({"信息化建设", "信息化运维"}),
           r"网络|宽带|信息化|系统|平台|数据"),
    Family("信息系统", r"系统可用率|系统故障|平台访问|并发|宕机|服务器|数据库|代码|上线|系统响应|等级保护|等保|信息安全|网络安全",
           frozenset({"信息化建设", "信息化运维", "设备购置"}),
           r"系统|平台|软件|网络|信息化|APP|网站|数据|智能|电子|数字"),
    # equipment and systems come with operator training: those rows are spared, courses are not
    Family("培训", r"培训|学员|结业|学时|课时|参训", frozenset({"培训", "会议", "课题调研", "政府购买服务"}),
           r"培训|学习|教育|课程|讲座|研修|学员", spare=r"操作|使用|应用|技术|运维|维保"),
    Family("会议", r"参会|与会|会期|会议召开|会议规模|会场", frozenset({"会议", "培训"}),
           r"会议|会务|论坛|大会|研讨|座谈|人代会|会场"),
    Family("医疗", r"诊疗|床位|病床|门诊|手术|患者|医疗|诊断", frozenset({"设备购置", "政府购买服务", "补助补贴", "基本建设"}),
           r"医|卫生|健康|诊|病|药"),
    Family("补贴发放", r"补贴发放|补助发放|补贴对象|补助对象|受益户|发放准确率|资金发放", frozenset({"补助补贴"}),
           r"补贴|补助|资助|救助|奖励|发放|奖补"),
    Family("工程质量", r"工程质量|工程验收|工程进度|工期|监理|竣工验收", frozenset({"基本建设", "运维养护", "信息化建设", "设备购置"}),
           r"工程|施工|改造|装修|建设|修缮|安装"),
    Family("课题研究", r"课题|调研报告|研究成果|论文|结项", frozenset({"课题调研", "宣传", "会议", "培训"}),
           r"调研|研究|课题|理论|论证|咨询"),
    Family("宣传传播", r"阅读量|点击量|播放量|发稿|传播|曝光|粉丝|转载|宣传品", frozenset({"宣传", "会议", "培训"}),
           r"宣传|报道|推送|公众号|媒体|刊|新闻|推广|传播|科普"),
    Family("助餐", r"助餐|供餐|就餐|餐食|膳食", frozenset({"补助补贴", "后勤服务", "政府购买服务"}),
           r"餐|食堂|饮食|膳"),
    Family("保洁养护", r"保洁|清扫|垃圾清运|河道|绿化养护|养护", frozenset({"运维养护", "后勤服务", "政府购买服务", "基本建设"}),
           r"保洁|清扫|垃圾|河道|绿化|养护|环境|市容|卫生"),
    Family("道路交通", r"道路|路面|通行|车流|交通", frozenset({"基本建设", "运维养护"}),
           r"道路|路|交通|车|桥"),
)


def kind_mismatch(draft: Draft, kind: str | None = None, plausible: Sequence[str] = (), **_) -> list[Finding]:
    """An indicator from a family the project's kind does not use, about nothing the project mentions.

    ``plausible``: other kinds an uncertain inference could not rule out; they excuse the row too.
    """
    if not kind:
        return []
    own = to_halfwidth(draft.context_text())
    kinds = {kind, *plausible}
    out = []
    for row in draft.rows:
        for fam in FAMILIES:
            if kinds & fam.kinds or not fam.matches(row) or re.search(fam.topic, own):
                continue
            # Other rows about the same topic (not from the same family) show it is part of the project.
            others = "；".join(r.name for r in draft.rows if r is not row and not fam.matches(r))
            if re.search(fam.topic, others):
                continue
            fit = sorted(fam.kinds)
            out.append(Finding("kind_mismatch", "error", row.name,
                               f"“{row.name}”属于{fam.label}类指标，适用于{'、'.join(fit)}等项目，与本项目（{kind}类）不符；"
                               f"项目概况和目标中也没有相关内容。",
                               f"删除该指标，改用反映{kind}项目产出或效益的指标", "indicator_unclear"))
            break
    return out


# ---- unit_mismatch -------------------------------------------------------------------------------

_TYPE_ZH = {"rate": "比率", "count": "数量", "money": "金额", "time": "时间", "speed": "速度", "length": "长度",
            "area": "面积", "weight": "重量"}
_FAMILY_ZH = {"percent": "百分比", "count": "计数单位", "money": "金额单位", "time": "时间单位", "speed": "速率单位",
              "data": "数据量单位", "length": "长度单位", "area": "面积单位", "weight": "重量单位", "score": "分值"}


def unit_mismatch(draft: Draft, **_) -> list[Finding]:
    out = []
    for row in draft.rows:
        p, typ = row.parsed, measure_type(row.name)
        if p.value is None or typ is None:
            continue
        fam = p.family
        allowed = set(ALLOWED_UNITS[typ])
        if typ == "rate" and re.search(r"满意度|评分|得分", row.name):
            allowed.add("score")
        if fam in allowed or (fam is not None and any(fam in ALLOWED_UNITS[t] for t in mentioned_types(row.name))):
            continue  # the unit fits the head, or another quantity the name names (单位面积物业服务费 in 元)
        if fam is None and p.unit is None:
            if typ == "rate" and p.value != 0:
                msg = f"“{row.name}”是比率，指标值“{row.target}”没有写 %，无法判断口径。"
            elif typ in ("speed", "length", "area", "weight"):
                msg = f"“{row.name}”衡量{_TYPE_ZH[typ]}，指标值“{row.target}”没有写单位。"
            else:
                continue
        elif fam is None:
            msg = f"“{row.name}”衡量{_TYPE_ZH[typ]}，单位“{p.unit}”不能衡量它。"
        else:
            msg = f"“{row.name}”衡量{_TYPE_ZH[typ]}，“{p.unit}”是{_FAMILY_ZH.get(fam, fam)}，不能衡量{_TYPE_ZH[typ]}。"
        v = p.value if not (typ == "speed" and fam == "data") else 100
        fix = f"{row.name} {p.operator or '='}{v:g}{DEFAULT_UNIT[typ]}"
        out.append(Finding("unit_mismatch", "error", row.name, msg, fix, "indicator_unclear"))
    return out


# ---- stale_year ---------------------------------------------------------------------------------

_YEAR_RX = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:年度|年|届)")
_RANGE_RX = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*(?:-|—|–|~|～|至|到)\s*((?:19|20)\d{2})")
_REFERENCE_BEFORE = re.compile(
    r"(?:较|比|同比|相比|对比|基于|根据|依据|按照|参照|自|从|截至|截止|对照|高于|低于|超过|延续|继续|总结|回顾|盘点|"
    r"结合|巩固)\s*$")
_REFERENCE_AFTER = re.compile(r"^\s*(?:年度|年)?(?:以来|起|至今|开始|版|印发|发布|出台|制定|颁布|修订|水平|同期|基数|基础上|实际|决算|数据)")


def _stale_years(text: str, year: int) -> list[tuple[int, str]]:
    found = []
    ranges = [(int(a), int(b), m.span()) for m in _RANGE_RX.finditer(text) for a, b in [m.groups()]]
    for m in _YEAR_RX.finditer(text):
        y = int(m.group(1))
        if y in (year, year + 1) or (y == year - 1 and False):
            continue
        if any(a <= year <= b and s[0] <= m.start() <= s[1] for a, b, s in ranges):
            continue
        before, after = text[max(0, m.start() - 6):m.start()], text[m.end() - 2:m.end() + 6]
        if _REFERENCE_BEFORE.search(before) or _REFERENCE_AFTER.search(text[m.end():m.end() + 6]):
            continue
        depth = text[:m.start()].count("《") - text[:m.start()].count("》")
        if depth > 0:
            continue  # inside a document title: 《2019年…办法》
        del after
        found.append((y, text[max(0, m.start() - 8):m.end() + 10]))
    return found


def stale_year(draft: Draft, **_) -> list[Finding]:
    if not draft.year:
        return []
    out = []
    places = [("年度目标", None, draft.annual_goal), ("总体目标", None, draft.total_goal)]
    places += [("指标", r.name, f"{r.name} {r.target}") for r in draft.rows]
    for where, ind, text in places:
        for y, ctx in _stale_years(to_halfwidth(text or ""), draft.year):
            if y > draft.year and where == "总体目标":
                continue  # a multi-year total goal may look ahead
            fixed = ctx.replace(str(y), str(draft.year))
            out.append(Finding("stale_year", "error" if y < draft.year else "warn", ind,
                               f"{where}中的“{ctx.strip()}”写的是{y}年，而本表是{draft.year}年度申报表，疑似沿用旧表。",
                               f"改为本年度：“{fixed.strip()}”", "indicator_unclear"))
    return out


# ---- goal_mismatch ---------------------------------------------------------------------------------

GENERIC_WORDS = frozenset(
    "项目 工作 经费 建设 完成 保障 提升 服务 管理 实现 开展 提高 推进 加强 年度 全年 日常 正常 运行 质量 效率 水平 能力 相关 "
    "各项 有效 进一步 专项 资金 费用 系统 平台 信息化 智能化 上海 上海市 人大 常委会 市人大 办公厅 单位 部门 情况 完善 健全 "
    "按期 及时 确保 做好 根据 目前 通过 优化 满足 需求 提供 支持 技术 功能 应用 开发 实施 目标 总体 顺利 更好 不断 各类 全面 "
    "积极 包括 基础 综合 发展 本区 全区 全市 本市 辖区 相关 有关 按时 按计划 计划 任务 内容 开展 落实 组织 规范 提升 达到 "
    "合格率 完成率 及时率 满意度 满意 合格 达标 使用 成本 预算 控制 长效 机制 工作人员 人员 对象 社会 效益 影响 可持续 指标 "
    # the stages every project goes through: a goal made of these alone says nothing about its object
    "招投标 招标 采购 验收 交付 管理工作 上线 部署 调试 试运行 立项 审批 合同 签订 结算 决算 考核 评估 监督 检查 "
    "运维 维护 年底 年内 年末 前期 后期 阶段 期间 全过程".split()
)
#: A goal sharing less than this share of its content words with name, overview and indicators,
#: and further than UNRELATED_COSINE from them, describes another project even within the same kind
#: (长者饭堂补贴 with a goal about 加装电梯补贴). Needs an overview to compare with.
UNRELATED_COVERAGE = 0.15
UNRELATED_COSINE = 0.88
UNRELATED_MIN_WORDS = 3
#: ... and it states quantities of its own (a copied goal is concrete; a vague one is another problem).
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|千|百)?(?:台|套|个|家|名|人|次|条|公里|千米|米|平方米|亩|头|户|份|期|场|所|座|辆|件|项|部|间|元|吨|%)")


def content_tokens(text: str) -> set[str]:
    """Words that say what a project is about (not how well it is managed)."""
    sw = stopwords()
    return {w for w in words(to_halfwidth(text)) if len(w) >= 2 and w not in GENERIC_WORDS and w not in sw
            and not re.search(r"\d", w)}


def _shared(a: set[str], b: set[str]) -> set[str]:
    return {x for x in b if any(x in y or y in x for y in a)}


def goal_mismatch(draft: Draft, encoder=None, inferer=None, **_) -> list[Finding]:
    """Goals about another project: either goals with concrete words of another kind that share
    (almost) nothing with the name, overview and indicators (a goal copied from elsewhere), or goals
    and indicators that agree with each other but not with the name (a whole form copied over).
    The annual and the total goal are checked separately: either may be the copied one."""
    if encoder is None or inferer is None:
        return []
    goals = [g for g in (draft.annual_goal.strip(), draft.total_goal.strip()) if g]
    if not goals:
        return []
    encoder.encode([project_text(draft.project, draft.overview), *goals])  # one batch; the rest hits the cache
    own = content_tokens(f"{draft.project}。{draft.overview}")
    rows = content_tokens("；".join(r.name for r in draft.rows if r.dim not in ("成本", "满意度")))
    kind = inferer.resolve(draft.project, draft.overview, "", draft.kind).kind
    for label, goal in (("年度目标", draft.annual_goal.strip()), ("总体目标", draft.total_goal.strip())):
        goal_tokens = content_tokens(goal)
        if len(goal_tokens) < 2:
            continue
        coverage = len(_shared(own | rows, goal_tokens)) / len(goal_tokens)
        cues = keyword_scores("", goal)
        dense = inferer.dense_scores(goal)
        foreign = (coverage < 0.2 and cues[kind] == 0 and max(v for k, v in cues.items() if k != kind) >= 0.5
                   and max(dense.values()) > dense[kind])
        follows = bool(_shared(goal_tokens, rows)) and not _shared(own, rows) and not _shared(own, goal_tokens)
        similarity = float(np.dot(*encoder.encode([project_text(draft.project, draft.overview), goal])))
        if follows:
            follows = similarity < 0.72
        unrelated = (len(draft.overview.strip()) >= 30 and coverage < UNRELATED_COVERAGE
                     and len(goal_tokens) >= UNRELATED_MIN_WORDS and similarity < UNRELATED_COSINE
                     and bool(_QUANTITY.search(to_halfwidth(goal))))
        if not (foreign or follows or unrelated):
            continue
        about = "、".join(sorted(goal_tokens - _shared(own, goal_tokens) or goal_tokens, key=goal.find)[:4])
        also = "，指标也随之描述这些内容" if follows else ""
        other = max((k for k in cues if k != kind), key=lambda k: (cues[k], dense[k]))
        return [Finding("goal_mismatch", "error", None,
                        f"{label}描述的是“{about}”等内容（更像{other}类项目）{also}，与项目名称“{draft.project}”"
                        f"{'和项目概况' if draft.overview else ''}不符，疑似沿用了其他项目的目标。",
                        f"按“{project_core(draft.project)}”的实际内容重写{label}和对应的产出、效益指标",
                        "indicator_unclear")]
    return []


# ---- missing_dimension ------------------------------------------------------------------------------

_DIM_THEME = {"满意度": "benefit_evidence", "成本": "budget_execution"}


def missing_dimension(draft: Draft, fixer: Callable[[Draft, str], str] | None = None, **_) -> list[Finding]:
    have = {r.dim for r in draft.rows}
    out = []
    for dim in frame.REQUIRED:
        if dim in have:
            continue
        l1, l2 = frame.DIMENSION_SLOT[dim]
        where = f"{l1}/{l2}" if dim != "效益" else "效益指标（经济/社会/生态效益或可持续影响）"
        extra = "（可作为产出指标下的成本指标，或按财政部2021年指引单列成本指标一级）" if dim == "成本" else ""
        fix = fixer(draft, dim) if fixer else f"在{where}下增加可量化指标"
        out.append(Finding("missing_dimension", "warn", None, f"缺少{dim}指标：{where}下没有任何指标{extra}。",
                           fix, _DIM_THEME.get(dim, "indicator_unclear")))
    return out


# ---- duplicate_indicator ------------------------------------------------------------------------------

def _dup_key(name: str) -> str:
    return re.sub(r"工作|项目|情况|程度|水平|性$|的", "", key(name))


def duplicate_indicator(draft: Draft, **_) -> list[Finding]:
    seen: dict[str, Row] = {}
    out = []
    for row in draft.rows:
        k = _dup_key(row.name)
        if not k:
            continue
        first = seen.get(k)
        if first is None:
            seen[k] = row
            continue
        same = "同一指标" if first.name == row.name else f"与“{first.name}”实为同一指标"
        out.append(Finding("duplicate_indicator", "warn", row.name,
                           f"“{row.name}”{same}，在本表中出现两次（{first.target} / {row.target}）。",
                           f"删除重复的“{row.name}”，保留一条并统一指标值", "indicator_unclear"))
    return out


# ---- boilerplate_set (batch) ----------------------------------------------------------------------------

def indicator_set(draft: Draft) -> list[str]:
    return [key(core_name(r.name, draft.project)) for r in draft.rows]


def set_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of indicators that match (equal or nearly equal names), over the larger set."""
    if not a or not b:
        return 0.0
    used: set[int] = set()
    hits = 0
    for x in a:
        j = next((j for j, y in enumerate(b) if j not in used and (x == y or similar(x, y) >= 0.85)), None)
        if j is not None:
            used.add(j)
            hits += 1
    return hits / max(len(a), len(b))


def boilerplate_set(drafts: Sequence[Draft], threshold: float = 0.8, min_rows: int = 4) -> dict[int, list[Finding]]:
    sets = [indicator_set(d) for d in drafts]
    peers: dict[int, list[tuple[int, float]]] = {}
    for i in range(len(drafts)):
        for j in range(i + 1, len(drafts)):
            if project_core(drafts[i].project) == project_core(drafts[j].project):
                continue
            if min(len(sets[i]), len(sets[j])) < min_rows:
                continue
            s = set_similarity(sets[i], sets[j])
            if s >= threshold:
                peers.setdefault(i, []).append((j, s))
                peers.setdefault(j, []).append((i, s))
    out: dict[int, list[Finding]] = {}
    for i, ps in peers.items():
        names = "、".join(f"“{drafts[j].project}”（{s:.0%}相同）" for j, s in ps[:5])
        out[i] = [Finding("boilerplate_set", "warn", None,
                          f"本表指标与{names}的指标几乎相同，不同项目套用同一套指标，无法反映本项目的产出和效益。",
                          f"按“{project_core(drafts[i].project)}”的实施内容和年度目标重新设置产出、效益指标",
                          "indicator_unclear")]
    return out


#: The per-draft rules, in report order.
PER_DRAFT = (goal_mismatch, kind_mismatch, stale_year, wrong_direction, unit_mismatch, vague_target,
             duplicate_indicator, missing_dimension)
