"""The corrective action a finding calls for, read off the finding itself.

Each failure a finding states (多付监理费7.19万元, 部分保障性住房长期空置, 没有按合同约定预留质保金)
is answered by the action that undoes it (核实并追回多付的监理费7.19万元, 盘活保障性住房…, 严格按合同约定
预留质保金), with the object taken from the finding's own words. The failure words and actions are
data (corpora/lexicon/remedies.yaml) so that a reviewer can extend them; the advice built from
them only talks about what the finding mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.normalize import to_halfwidth
from ...text.tokenize import words
from ..vocab import lexicon

_MONEY = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万|亿)?元")
_AMOUNTS = re.compile(r"(?:\d[\d,]*(?:\.\d+)?|多)\s*(?:万|亿)?元|\d[\d,]*(?:\.\d+)?\s*(?:万|亿)?(?:个|套|项|户|人|次|名|家|所|条|座|批|兆瓦)?|[（(][^（）()]*[)）]")
_TAIL = re.compile(r"(?:的|了|均|都|还|也|时|前|后|以来|等|等问题|问题|情况|现象|方面)+$")


class _Shifted:
    """A match whose object lies in an earlier clause (…报名系统，重复建设): before is that object."""

    def __init__(self, m: re.Match[str], before: str):
        self._groups = {**m.groupdict(), "before": before}

    def groupdict(self) -> dict[str, str]:
        return self._groups


@dataclass(frozen=True)
class Remedy:
    rule: str
    action: str  # "核实并追回多付的监理费7.19万元，…" (no addressee)
    object: str
    span: tuple[int, int]


def _object_before(before: str) -> str:
    """The noun phrase that ends a clause before a failure word, in whole words: 审计发现部分单位 → 单位;
    中山市民政局部分专项资金 → 专项资金 (中山市 is one word, not the preposition 中)."""
    lex = lexicon("remedies")
    starts, openers = set(lex.words("object_starts")), set(lex.words("object_openers"))
    trailers = "|".join(sorted(lex.words("object_trailers"), key=len, reverse=True))
    text = _AMOUNTS.sub("", before.strip())
    prev = None
    while prev != text:
        prev = text
        text = re.sub(rf"(?:{trailers})$", "", _TAIL.sub("", text))
    tokens = words(text)
    cuts = [k + 1 for k, w in enumerate(tokens) if w in starts and k + 1 < len(tokens)]
    while cuts and len("".join(tokens[cuts[-1]:])) < 2:
        cuts.pop()  # 供应商的履约 → keep 服务供应商的履约, not a bare 履约
    tokens = tokens[cuts[-1]:] if cuts else tokens
    while tokens and (tokens[0] in openers or re.fullmatch(r"\d+(?:\.\d+)?|[个家所项名批套条座户]", tokens[0])):
        tokens = tokens[1:]
    kept: list[str] = []
    for w in reversed(tokens):  # at most 14 characters, whole words from the end
        if sum(map(len, kept)) + len(w) > 14:
            break
        kept.insert(0, w)
    return _TAIL.sub("", "".join(kept)).strip("“”\"（）() ")


def _object_after(after: str) -> tuple[str, str]:
    """(object, amount) from the words after a failure word: 监理费7.19万元 → (监理费, 7.19万元)."""
    m = _MONEY.search(after)
    amount = m.group(0).replace(" ", "") if m else ""
    obj = _MONEY.sub("", after)
    obj = re.split(r"[共计合]|涉及|金额", obj)[0]
    return _TAIL.sub("", obj).strip("“”\"（）() "), amount


def _verb_clause(verb: str, after: str, before: str, rule: str) -> str:
    """未取得县发改委立项批复 → 补办县发改委立项批复; 没有按合同约定预留质保金 → 严格按合同约定预留质保金;
    没有及时上缴 (应缴财政的资金) → 及时上缴应缴财政的资金; 没有建设单位盖章确认 → 补齐建设单位盖章确认."""
    lex = lexicon("remedies")
    after = _TAIL.sub("", re.split(r"[，。；、：]", after)[0])
    after = re.sub(r"(?:一直|仍|仍然|均|都|还|也|等)+$", "", after)
    if re.search(r"\d+(?:\.\d+)?%|比例|达\d|即|就|便", after) or len(after) < 2 or after in ("完善", "规范", "到位", "健全"):
        return ""  # a share (未检比例达27.6%), a sequence (未履行完毕即开始施工) or a bare adjective
    if rule == "missing":
        table = "institution_verbs" if any(after.endswith(w) for w in lex.words("institutions")) else "missing_verbs"
        return lex.table(table).get(verb, "建立") + after
    for head, remedy in sorted(lex.table("verb_remedies").items(), key=lambda kv: -len(kv[0])):
        if after.startswith(head):
            return _with_object(remedy + after[len(head):], after, before)
    if not after.startswith(tuple(lex.words("clause_verbs"))):
        return "补齐" + after  # 没有务工人员领取报酬的证明材料: a missing thing, not a missing act
    clause = lex.table("not_done_verbs").get(verb, "及时") + after
    return _with_object(clause, after, before)


def _with_object(clause: str, after: str, before: str) -> str:
    """没有及时上缴 → 及时上缴应缴财政的资金; 招标没有严格按程序进行 → 严格按程序进行招标."""
    obj = _object_before(before)
    bare = len(after) <= 3 or re.search(r"(?:进行|开展|实施|执行|办理|使用|管理)$", after)
    if bare and len(obj) >= 2 and not re.search(r"(?:村|镇|县|区|市|单位|部门|中心|学校|项目|局|委|办|院|厅|政府)$", obj):
        clause += obj
    return clause


def _action(rule: str, m: re.Match[str] | _Shifted) -> tuple[str, str] | None:
    """(action, object) for one match of a rule, or None when the finding gives no usable object."""
    lex = lexicon("remedies")
    groups = m.groupdict()
    before, after, verb = groups.get("before") or "", groups.get("after") or "", groups.get("verb") or ""
    if rule in ("not_done", "missing"):
        clause = _verb_clause(verb, after, before, rule)
        return (clause, clause) if len(clause) >= 4 else None
    obj_after, amount = _object_after(after)
    what = _object_before(before) + (groups.get("thing") or "")
    if rule in ("overpaid", "duplicate_pay", "unqualified", "early_pay", "not_seen") and len(obj_after) >= 2:
        what = obj_after
    if rule == "misuse":
        verb = lex.table("misuse_verbs").get(verb, "违规使用")
    if len(what) < 2:
        return None
    action = lex.table("remedy")[rule].format(what=what, amount=amount, verb=verb)
    return re.sub(r"的的", "的", action), what


def _earlier_thing(text: str) -> str:
    """The last system, platform or facility named before a position: …招生报名系统，重复建设 → 招生报名系统."""
    heads = "|".join(lexicon("rectify").words("system_heads") + lexicon("rectify").words("thing_heads"))
    found = re.findall(rf"([\u4e00-\u9fffA-Za-z]{{2,12}}?(?:{heads}))", text)
    return _object_before(found[-1]) if found else ""


def find_remedies(problem: str, limit: int = 2) -> list[Remedy]:
    """The actions for the failures a finding states, in the order of the rules, at most ``limit``."""
    text = to_halfwidth(problem)
    lex = lexicon("remedies")
    found: list[Remedy] = []
    for rule in lex.words("order"):
        for m in lex.pattern(f"fail.{rule}").finditer(text):
            span = (m.start() + len(m.groupdict().get("before") or ""), m.end())
            if any(s[0] < span[1] and span[0] < s[1] for s in (r.span for r in found)):
                continue
            got = _action(rule, m)
            if got is None and rule in ("duplicate_build", "idle", "slow"):
                got = _action(rule, _Shifted(m, _earlier_thing(text[:m.start()])))
            if got is None or any(got[0] == r.action for r in found):
                continue
            found.append(Remedy(rule, got[0], got[1], span))
            break
        if len(found) >= limit:
            break
    return sorted(found, key=lambda r: r.span[0])


def stated_cause(problem: str) -> str | None:
    """The cause a finding states: "原因是县农业农村局与电力部门沟通协调滞后" → that clause."""
    m = lexicon("rectify").pattern("cause").search(to_halfwidth(problem))
    return m.group("cause").strip("，。；") if m else None
