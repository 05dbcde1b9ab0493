"""The near-duplicate index finds what comparing every pair finds, and scales past big copy groups."""
from __future__ import annotations

import random

import pytest

from pbm_nlp.features.neardup import NearDupIndex, default_normalise, shingles

_CHARS = "项目资金管理制度建设运维验收采购合同预算执行绩效目标指标服务平台系统培训会议补贴道路河道保洁设备"


def _texts(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    base = ["".join(rng.choice(_CHARS) for _ in range(80)) for _ in range(n)]
    copies = []
    for t in base[: n // 4]:
        pos = rng.randrange(60)
        copies.append(t[:pos] + "改写" + t[pos + 3:])  # a copy with a few characters changed
    return base + copies


def _brute(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    sets = [shingles(default_normalise(t), 5) for t in texts]
    return {(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))
            if sets[i] and sets[j] and len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold}


def test_pairs_equal_the_brute_force_answer():
    texts = _texts(200)
    found = {(i, j) for i, j, _ in NearDupIndex.build(texts).pairs(0.7)}
    expected = _brute(texts, 0.7)
    assert len(expected) >= 50
    assert found == expected


def test_scores_are_exact_jaccard_and_ordered_neighbours():
    texts = _texts(120)
    idx = NearDupIndex.build(texts)
    for i, j, s in idx.pairs(0.7):
        a, b = shingles(default_normalise(texts[i]), 5), shingles(default_normalise(texts[j]), 5)
        assert s == pytest.approx(len(a & b) / len(a | b))
    near = idx.neighbours(0, k=3)
    assert near[0][0] == 120 and near[0][1] > 0.7  # item 0's edited copy comes first
    assert [s for _, s in near] == sorted((s for _, s in near), reverse=True)
    assert idx.query(texts[0] + "。", k=1)[0] == (0, 1.0)  # punctuation does not hide a copy


def test_token_sets_identical_groups_and_empty_items():
    sets = [["完成率", "满意度", "合格率", "及时率"]] * 700 + [["完成率", "满意度", "合格率", "响应时间"], [], ""]
    idx = NearDupIndex.build(sets)
    pairs = idx.pairs(0.5)
    assert len(pairs) == 700 * 699 // 2 + 700  # every copy with every other, and with the near copy
    assert all(s == pytest.approx(0.6) for i, j, s in pairs if j == 700)
    assert idx.groups(0.5) == [list(range(701))]
    assert idx.neighbours(701) == [] and idx.neighbours(702) == []


def test_a_custom_similarity_confirms_candidates():
    texts = _texts(80)
    idx = NearDupIndex.build(texts)
    assert idx.pairs(0.7, confirm=lambda i, j: 1.0 if j - i == 80 else 0.0) == [(i, i + 80, 1.0) for i in range(20)]


def test_bad_banding_is_refused():
    with pytest.raises(ValueError, match="multiple of bands"):
        NearDupIndex.build(["a"], num_perm=100, bands=32)
