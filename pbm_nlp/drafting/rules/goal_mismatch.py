"""goal_mismatch: a goal about another project, either with concrete words of another kind and
(almost) nothing shared with the name, overview and indicators (a goal copied from elsewhere), or
goals and indicators that agree with each other but not with the name (a whole form copied over).
The annual and the total goal are checked separately: either may be the copied one."""
from __future__ import annotations

import re

import numpy as np

from ...text.normalize import to_halfwidth
from ..draft import Draft
from ..kinds import keyword_scores, project_text
from ..names import project_core
from ..words import content_tokens, shared
from .base import Finding, Rule, RuleEnv

#: A goal sharing less than this share of its content words with name, overview and indicators,
#: and further than UNRELATED_COSINE from them, describes another project even within the same kind
#: (长者饭堂补贴 with a goal about 加装电梯补贴). Needs an overview to compare with.
UNRELATED_COVERAGE = 0.15
UNRELATED_COSINE = 0.88
UNRELATED_MIN_WORDS = 3
#: ... and it states quantities of its own (a copied goal is concrete; a vague one is another problem).
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|千|百)?(?:台|套|个|家|名|人|次|条|公里|千米|米|平方米|亩|头|户|份|期|场|所|座|辆|件|项|部|间|元|吨|%)")


def _verdict(draft: Draft, goal: str, own: set[str], rows: set[str], kind: str, env: RuleEnv) -> str | None:
    """Why the goal is about another project ('foreign', 'follows', 'unrelated'), or None."""
    goal_tokens = content_tokens(goal)
    if len(goal_tokens) < 2:
        return None
    coverage = len(shared(own | rows, goal_tokens)) / len(goal_tokens)
    cues = keyword_scores("", goal)
    dense = env.inferer.dense_scores(goal)
    foreign = (coverage < 0.2 and cues[kind] == 0 and max(v for k, v in cues.items() if k != kind) >= 0.5
               and max(dense.values()) > dense[kind])
    similarity = float(np.dot(*env.encoder.encode([project_text(draft.project, draft.overview), goal])))
    follows = (bool(shared(goal_tokens, rows)) and not shared(own, rows) and not shared(own, goal_tokens)
               and similarity < 0.72)
    unrelated = (len(draft.overview.strip()) >= 30 and coverage < UNRELATED_COVERAGE
                 and len(goal_tokens) >= UNRELATED_MIN_WORDS and similarity < UNRELATED_COSINE
                 and bool(_QUANTITY.search(to_halfwidth(goal))))
    return "follows" if follows else "foreign" if foreign else "unrelated" if unrelated else None


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    if env.encoder is None or env.inferer is None:
        return []
    goals = [g for g in (draft.annual_goal.strip(), draft.total_goal.strip()) if g]
    if not goals:
        return []
    env.encoder.encode([project_text(draft.project, draft.overview), *goals])  # one batch; the rest hits the cache
    own = content_tokens(f"{draft.project}。{draft.overview}")
    rows = content_tokens("；".join(r.name for r in draft.rows if r.dim not in ("成本", "满意度")))
    kind = env.inferer.resolve(draft.project, draft.overview, "", draft.kind).kind
    for label, goal in (("年度目标", draft.annual_goal.strip()), ("总体目标", draft.total_goal.strip())):
        why = _verdict(draft, goal, own, rows, kind, env)
        if why is None:
            continue
        goal_tokens = content_tokens(goal)
        about = "、".join(sorted(goal_tokens - shared(own, goal_tokens) or goal_tokens, key=goal.find)[:4])
        also = "，指标也随之描述这些内容" if why == "follows" else ""
        cues, dense = keyword_scores("", goal), env.inferer.dense_scores(goal)
        other = max((k for k in cues if k != kind), key=lambda k: (cues[k], dense[k]))
        return [RULE.finding(None, f"{label}描述的是“{about}”等内容（更像{other}类项目）{also}，与项目名称“{draft.project}”"
                                   f"{'和项目概况' if draft.overview else ''}不符，疑似沿用了其他项目的目标。",
                             f"按“{project_core(draft.project)}”的实际内容重写{label}和对应的产出、效益指标")]
    return []


RULE = Rule("goal_mismatch", "error", "indicator_unclear", frozenset({"rows", "overview", "goals", "kind", "encoder"}), 10,
            "年度目标或总体目标描述的是另一个项目（沿用了其他项目的目标）", check=check)
