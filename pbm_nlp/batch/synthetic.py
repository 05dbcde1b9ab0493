"""Sizing data for a deployment: N documents in the seeds' formats, to try `pbm batch` on a new
cluster before pointing it at the real archive (and for benchmarks/batch_scale.py and the tests).

Each document is a bundled seed (绩效评价结果信息表, the 2018/2019 申报表 frames, the 2023 tab-separated
汇总表, 绩效评价报告) with new project names, amounts and, for evaluations, a new 存在问题 section whose
items are composed from two labelled statements of the corpus and the project's name, so that
statements do not repeat (a repeated statement would be answered from the encoder's memory and
flatter the throughput). A small share of files is broken on purpose (binary, empty, cut off), and
some are GBK-encoded, as in a real archive.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

from ..ingest.registry import parse_file

#: Seed file → share of the generated documents.
MIX = {"000_5948c1792151f366.txt": 0.40, "004_7050ce2f9b10b5f4.txt": 0.10, "001_8e990e85900b4f0d.txt": 0.15,
       "002_1d91f24c0675cfc0.txt": 0.15, "003_c395438b008f884a.txt": 0.20}
_SECTION = {"000_5948c1792151f366.txt": re.compile(r"(存在问题 )(.*?)(?=\n整改建议)", re.DOTALL),
            "004_7050ce2f9b10b5f4.txt": re.compile(r"(（一）存在问题 ?\n)(.*?)(?=\n（二）)", re.DOTALL)}
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
_PLACES = ("浦东", "黄浦", "静安", "徐汇", "长宁", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "松江", "青浦", "奉贤", "崇明")
_SUBJECTS = ("社区养老服务", "河道保洁养护", "智慧城管平台", "公共文化配送", "中小学课后服务", "道路大修", "政务热线运维",
             "垃圾分类宣传", "医疗设备购置", "残疾人就业补贴", "农村饮水安全", "档案数字化", "老旧小区加装电梯", "绿化养护")


class _Templates:
    def __init__(self, seeds: Path, annotations: Path):
        self.texts = {name: (seeds / name).read_text(encoding="utf-8") for name in MIX}
        self.projects = {name: _project_names(seeds / name) for name in MIX}
        rows = [json.loads(x) for p in sorted(annotations.glob("*.jsonl"))
                for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
        self.statements = [r["text"] for r in rows if r.get("themes")]


def _project_names(path: Path) -> list[str]:
    doc = parse_file(path)
    names = [r.project for r in (*doc.evaluations, *doc.declarations)]
    return sorted({n for n in names if len(n) >= 4}, key=len, reverse=True)  # longest first: no partial hits


def _problems(t: _Templates, rng: random.Random, project: str) -> str:
    items = []
    for k in range(1, rng.randint(2, 4) + 1):
        a, b = rng.sample(t.statements, 2)
        first = a.split("。")[0]
        rest = b.split("。")[0]
        items.append(f"{k}、{first}。\n\n“{project}”项目{rest}。")
    return "\n\n".join(items) + "\n"


def document(t: _Templates, seed: str, i: int, rng: random.Random) -> str:
    """The i-th generated document from one seed."""
    text = t.texts[seed]
    for k, name in enumerate(t.projects[seed]):
        text = text.replace(name, f"{rng.choice(_PLACES)}{rng.choice(_SUBJECTS)}项目{i:05d}-{k}")
    text = _AMOUNT.sub(lambda m: f"{rng.uniform(1, 5000):,.2f}", text)
    if seed in _SECTION:
        text = _SECTION[seed].sub(lambda m: m.group(1) + _problems(t, rng, f"示范项目{i:05d}"), text)
    return text


def generate(folder: str | Path, n: int, seeds: Path, annotations: Path, seed: int = 0,
             broken: float = 0.005, gbk: float = 0.05) -> dict[str, int]:
    """Write ``n`` documents into ``folder`` (in sub-folders of 1,000); returns counts by kind."""
    rng = random.Random(seed)
    t = _Templates(seeds, annotations)
    names, weights = list(MIX), list(MIX.values())
    counts = {"documents": 0, "broken": 0, "gbk": 0}
    for i in range(n):
        sub = Path(folder) / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"doc{i:06d}.txt"
        if rng.random() < broken:
            path.write_bytes(rng.choice([b"", b"\x00\x01PK\x03\x04 not text" * 20, "绩效".encode() * 3]))
            counts["broken"] += 1
            continue
        text = document(t, rng.choices(names, weights)[0], i, rng)
        if rng.random() < gbk:
            path.write_bytes(text.encode("gb18030"))
            counts["gbk"] += 1
        else:
            path.write_text(text, encoding="utf-8")
        counts["documents"] += 1
    return counts
