"""Cluster keywords (class-based TF-IDF over jieba words) and short Chinese cluster labels.

c-TF-IDF (as in BERTopic) treats each cluster as one document: a word ranks high when it is
frequent in the cluster and rare across clusters. The stop-word list handles function words;
report boilerplate ("有待进一步加强") is blocked here as well, so that keywords name the problem.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..text.tokenize import stopwords, words

#: Report boilerplate and hedges that must never be a keyword, whatever the stop-word file says.
BOILERPLATE = frozenset(["的", "了", "地", "得", "着", "过", "和", "与", "及", "或", "等", "是", "有", "在", "对", "将", "把", "被", "为", "以", "于", "其", "该", "此", "这", "那", "之", "有待", "进一步", "不够", "不足以", "较为", "比较", "尚", "尚未", "仍", "仍然", "一定", "存在", "方面", "情况", "工作", "项目", "问题", "有关", "相关", "进行", "开展", "加强", "完善", "健全", "提高", "提升", "需要", "需", "应", "应当", "能够", "可以", "部分", "主要", "具体", "整体", "总体", "相应", "方式", "导致", "造成", "影响", "无法", "未能", "没有", "未", "不", "无", "评价", "评价组", "经", "经核查", "核查", "发现", "显示", "表明", "反映", "据", "根据", "按照", "通过", "由于", "因此", "同时", "以及", "其中", "包括", "例如", "如", "即", "共", "仅", "实际", "实施", "年度", "本年度", "当年", "全年", "目前", "已", "已经", "万元", "元", "个", "次", "项", "份", "年", "月", "日", "单位", "部门", "完成", "使用", "用于", "提供", "任何", "多少", "难以", "从未", "是否", "要求", "其他", "之间", "一名", "一个", "较大", "较低", "较高", "明显", "目前为止"])
#: Hedged predicates ("不够健全", "有待完善", "尚未建立") and bare negations ("不足", "缺乏") say
#: how bad, not what: never keywords.
_HEDGE = re.compile(r"^(?:不够|有待|尚未|进一步|仍需|亟需|亟待)|^[不未无没缺].$")

#: A negated shortfall is good news, not a problem to name a cluster after.
_NO_PROBLEM = re.compile(r"未(?:出现|发生|发现)|没有(?:出现|发生)|无(?:一|任何)|不存在|均(?:已|按|符合)|全部(?:完成|到位|按)")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_HAS_DIGIT = re.compile(r"[0-9０-９%‰.]")
_CLAUSE = re.compile(r"[，。；：,;:！？、（）()]")
_LEAD = re.compile(r"^(?:\d+[、.]|[（(]\d+[）)]|[①-⑳]|[一二三四五六七八九十]+、)?"
                   r"(?:(?:19|20)\d{2}年度?)?")
_NAMED = re.compile(r"[“\"《][^”\"》]{1,40}[”\"》](?:项目)?")
_CONNECTIVE = re.compile(r"^(?:但是|而且|并且|同时|其中|另外|此外|因此|由于|且|并|而|但|及|和|与|或|的|也|还|又|则)+")
#: Words that state a shortfall: a label should name the problem, not what went well.
_DEFICIENCY = re.compile(r"不|未|无|缺|欠|差|低|滞后|弱|偏|失|难|流于|过于|过高|过低|超|违")


def blocked(word: str) -> bool:
    """True for words that cannot be keywords: stop words, boilerplate, numbers, single characters."""
    return (len(word) < 2 or word in BOILERPLATE or word in stopwords() or not _HAS_CJK.search(word)
            or bool(_HAS_DIGIT.search(word)) or bool(_HEDGE.match(word)))


def strip_names(text: str, names: Sequence[str | None] = ()) -> str:
    """Drop the project's and unit's own names and quoted titles: they say where, not what."""
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, " ")
    return _NAMED.sub(" ", text)


def keyword_tokens(text: str) -> list[str]:
    return [w for w in words(text) if not blocked(w)]


def class_tfidf(token_lists: Sequence[Sequence[str]], labels: Sequence[int], top: int = 8
                ) -> dict[int, list[tuple[str, float]]]:
    """Top words per label by c-TF-IDF: tf per class (L1) × log(1 + mean class size / corpus tf).

    Every label takes part (unclustered statements too, as their own class), so that words
    common everywhere rank low; the result is returned for every label present.
    """
    classes = sorted(set(labels))
    counts: dict[int, Counter[str]] = {c: Counter() for c in classes}
    for toks, lab in zip(token_lists, labels):
        counts[lab].update(toks)
    total: Counter[str] = Counter()
    for c in classes:
        total.update(counts[c])
    if not total:
        return {c: [] for c in classes}
    avg_words = sum(total.values()) / len(classes)
    out: dict[int, list[tuple[str, float]]] = {}
    for c in classes:
        n = sum(counts[c].values()) or 1
        scored = [(w, (k / n) * float(np.log(1 + avg_words / total[w]))) for w, k in counts[c].items()]
        scored.sort(key=lambda x: (-x[1], x[0]))
        out[c] = scored[:top]
    return out


def _clean_clause(part: str) -> str:
    part = _LEAD.sub("", _NAMED.sub("", part.strip()))
    return _CONNECTIVE.sub("", part)


def candidates(text: str, max_len: int) -> list[tuple[str, bool]]:
    """Label candidates from a statement's first sentence: the whole heading when short enough
    (flag True), else its clauses, without numbering, years, quoted names and leading connectives."""
    first = re.split(r"[。！？]", text, maxsplit=1)[0]
    whole = _clean_clause(first)
    if 4 <= len(whole) <= max_len and not _CLAUSE.search(whole):
        return [(whole, True)]
    parts = [_clean_clause(p) for p in _CLAUSE.split(first)]
    return [(p, False) for p in parts if 4 <= len(p) <= max_len]


def label_for(texts: Sequence[str], keywords: Sequence[tuple[str, float]], max_len: int = 18) -> str:
    """A short Chinese label: the heading (or heading clause) that covers the cluster's keywords best.

    Evaluators write problems as short headings ("项目后续运维管理机制不够健全"); picking the most
    typical one reads better than a string of keywords. Headings that state a deficiency and carry
    no figures are preferred; with no candidate at all, the top keywords are the label.
    """
    weight = dict(keywords)
    freq: Counter[str] = Counter()
    whole: dict[str, bool] = {}
    for t in texts:
        for c, is_whole in candidates(t, max_len):
            freq[c] += 1
            whole[c] = whole.get(c, False) or is_whole
    best, best_score = "", 0.0
    for clause, n in freq.items():
        cover = sum(w for k, w in weight.items() if k in clause)
        score = cover * (1 + 0.1 * min(n - 1, 5)) / (1 + 0.02 * len(clause))
        score *= (1.5 if _DEFICIENCY.search(clause) else 1.0) * (1.2 if whole[clause] else 1.0)
        score *= 0.3 if _HAS_DIGIT.search(clause) else 1.0
        score *= 0.1 if _NO_PROBLEM.search(clause) else 1.0  # "未出现工期延误" says all went well
        if score > best_score or (score == best_score and best and len(clause) < len(best)):
            best, best_score = clause, score
    if best:
        return best
    return "、".join(k for k, _ in keywords[:3]) or "（无标签）"
