"""boilerplate_set at a province's scale: 30,000 generated declarations checked as one batch.

Each declaration draws 8–12 rows from the reference library of a random kind, with its own project
object in the names and its own numbers; 6% are planted copies (a generic set reused by projects
of other kinds, in groups of 2–40). Prints the time, the peak memory of the process, how many
planted copies were found and how many drafts were flagged without being planted.
The former pairwise check compared 450 million pairs here (about 2 ms a pair: days).

Run: .venv/bin/python benchmarks/boilerplate_scale.py [N]
"""
from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OBJECTS = ["河道", "长者食堂", "社区服务中心", "政务外网", "智慧停车平台", "档案馆", "农村公路", "中小学校舍", "卫生院", "文化馆",
           "体育场", "污水处理厂", "公共厕所", "老旧小区", "养老院", "图书馆", "农贸市场", "垃圾转运站", "林场", "水库"]
PLACES = ["东城", "西湖", "南岗", "北林", "青秀", "雁塔", "莲池", "和平", "章贡", "汶上", "甘州", "七星关", "蒙自", "阿巴嘎", "游仙"]
VERBS = ["新建", "改造", "维修", "采购", "培训", "巡查", "发放", "检测", "接入", "清运", "养护", "开发", "举办", "走访", "配送"]
THINGS = ["路灯", "井盖", "泵站", "监控点位", "功能模块", "窗口", "公厕", "健身路径", "教室", "病床", "书屋", "站点", "车辆",
          "管网", "绿地", "河段", "样品", "企业", "老人", "学员", "对象", "场馆", "设备", "档案", "接口"]
MEASURES = ["数量", "个数", "次数", "覆盖数", "总数", "台账数"]
GENERIC = [("产出指标", "数量指标", "项目完成率", "=100%"), ("产出指标", "质量指标", "项目验收合格率", "=100%"),
           ("产出指标", "时效指标", "项目完成及时率", "=100%"), ("产出指标", "成本指标", "成本控制率", "≤100%"),
           ("效益指标", "社会效益指标", "项目实施覆盖率", "≥95%"), ("效益指标", "可持续影响指标", "长效管理机制健全性", "健全"),
           ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"), ("效益指标", "社会效益指标", "群众知晓率", "≥85%")]


def generate(n: int, seed: int = 7) -> tuple[list[dict], set[int]]:
    from pbm_nlp.drafting.names import fill
    from pbm_nlp.drafting.reference import load_reference

    rng = random.Random(seed)
    ref = load_reference()
    kinds = sorted(ref)
    drafts, planted = [], set()
    while len(drafts) < n:
        if rng.random() < 0.003:  # a group of projects of different kinds sharing one generic set
            size = rng.randint(2, 40)
            rows = rng.sample(GENERIC, rng.randint(6, 8))
            for _ in range(min(size, n - len(drafts))):
                planted.add(len(drafts))
                obj = rng.choice(OBJECTS) + rng.choice(["建设", "运维", "补贴", "购置", "宣传"])
                drafts.append({"project": f"{rng.choice(PLACES)}区{obj}项目{len(drafts)}", "indicators": [
                    {"level1": a, "level2": b, "name": c, "target": d} for a, b, c, d in rows]})
            continue
        kind = rng.choice(kinds)
        obj = rng.choice(OBJECTS) + str(rng.randint(1, 99))
        entries = rng.sample(ref[kind].indicators, min(len(ref[kind].indicators), rng.randint(3, 5)))
        rows = [{"level1": e.level1, "level2": e.level2, "name": fill(e.name, obj),
                 "target": e.target.replace(str(int(e.value or 0)), str(rng.randint(1, 500))) if e.value else e.target}
                for e in entries]
        rows += [{"level1": "产出指标", "level2": "数量指标", "target": f"≥{rng.randint(2, 900)}个",
                  "name": rng.choice(VERBS) + rng.choice(THINGS) + rng.choice(MEASURES)} for _ in range(rng.randint(5, 7))]
        drafts.append({"project": f"{rng.choice(PLACES)}区{obj}{kind}项目{len(drafts)}", "indicators": rows})
    return drafts, planted


def main(n: int = 30_000) -> None:
    from pbm_nlp.drafting import rules
    from pbm_nlp.drafting.draft import make_draft

    raw, planted = generate(n)
    t0 = time.perf_counter()
    drafts = [make_draft(d) for d in raw]
    t1 = time.perf_counter()
    flagged = rules.get("boilerplate_set").check_batch(drafts)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = planted & set(flagged)
    extra = set(flagged) - planted
    print(f"{n} declarations ({len(planted)} planted copies): reading {t1 - t0:.1f} s, "
          f"boilerplate_set {t2 - t1:.1f} s, peak memory {peak_mb:.0f} MB")
    print(f"planted copies flagged: {len(found)}/{len(planted)}; flagged without being planted: {len(extra)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
