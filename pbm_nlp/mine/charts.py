"""PNG charts of a mining result, with Chinese text drawn in a CJK font (never empty boxes).

matplotlib is imported here only, and no global state changes: figures are drawn with the Agg
canvas directly (no pyplot) inside an ``rc_context`` that names the CJK font.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import PbmError
from .miner import MiningResult
from .records import UNKNOWN

#: Where Debian's fonts-noto-cjk puts the font; PBM_CJK_FONT may name another .ttc/.otf/.ttf.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)


class ChartFontMissing(PbmError):
    """No font that can draw Chinese is available for the charts."""


def cjk_family() -> str:
    """The family name of a CJK font registered with matplotlib (Simplified Chinese face preferred)."""
    from matplotlib import font_manager as fm

    paths = [os.environ.get("PBM_CJK_FONT", "")] + list(FONT_CANDIDATES)
    for path in filter(None, paths):
        if not Path(path).is_file():
            continue
        fm.fontManager.addfont(path)
        faces = [f for f in fm.fontManager.ttflist if Path(f.fname) == Path(path)]
        if faces:
            sc = [f.name for f in faces if f.name.endswith(" SC")]
            return sc[0] if sc else faces[0].name
    raise ChartFontMissing(
        "找不到中文字体，图表无法显示中文：请安装 fonts-noto-cjk（scripts/bootstrap.sh --fonts），"
        "或用环境变量 PBM_CJK_FONT 指定字体文件。",
        "no CJK font found, so charts cannot show Chinese: install fonts-noto-cjk "
        "(scripts/bootstrap.sh --fonts) or point PBM_CJK_FONT at a font file.")


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=120)
    FigureCanvasAgg(fig)
    return fig


def _integer_ticks():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _context():
    import matplotlib

    return matplotlib.rc_context({"font.family": [cjk_family()], "axes.unicode_minus": False})


def theme_frequency(result: MiningResult, path: Path) -> Path:
    """Horizontal bars: statements per theme, annotated with the share of evaluations."""
    rows = [r for r in result.aggregates.get("themes", []) if r["statements"]][::-1]
    with _context():
        fig = _figure(8, 0.45 * max(len(rows), 3) + 1.2)
        ax = fig.add_subplot()
        ax.barh([r["name"] for r in rows], [r["statements"] for r in rows], color="#3b6ea5")
        for y, r in enumerate(rows):
            ax.text(r["statements"], y, f" {r['statements']}（{r['share_of_evaluations']:.0%} 的评价）",
                    va="center", fontsize=9)
        ax.xaxis.set_major_locator(_integer_ticks())
        ax.set_xlabel("问题条数")
        ax.set_title("问题主题出现频次")
        ax.margins(x=0.25)
        fig.tight_layout()
        fig.savefig(path)
    return path


#: The cross-tables drawn as heat maps: aggregates key → (file stem, x-axis label, title).
HEATMAPS = {"theme_by_year": ("theme_year", "年度", "问题主题 × 年度"),
            "theme_by_kind": ("theme_kind", "项目类别", "问题主题 × 项目类别")}


def theme_heatmap(result: MiningResult, path: Path, key: str = "theme_by_year") -> Path:
    """Heat map of statements per theme and year (the trend evaluators ask about) or project kind."""
    _, xlabel, title = HEATMAPS[key]
    table = result.aggregates.get(key, {})
    names = result.theme_names
    themes = [r["id"] for r in result.aggregates.get("themes", []) if r["statements"]]
    cols = sorted({y for row in table.values() for y in row}, key=lambda y: (y == UNKNOWN, y))
    data = [[table.get(t, {}).get(y, 0) for y in cols] for t in themes]
    with _context():
        fig = _figure(max(5.0, 1.0 * len(cols) + 3.5), 0.45 * max(len(themes), 3) + 1.5)
        ax = fig.add_subplot()
        im = ax.imshow(data or [[0]], cmap="YlOrRd", aspect="auto")
        ax.set_xticks(range(len(cols)), cols, rotation=30 if key == "theme_by_kind" else 0,
                      ha="right" if key == "theme_by_kind" else "center")
        ax.set_yticks(range(len(themes)), [names.get(t, t) for t in themes])
        top = max((v for row in data for v in row), default=0)
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center", fontsize=9,
                        color="white" if v > 0.6 * top else "black")
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        fig.colorbar(im, ax=ax, label="问题条数")
        fig.tight_layout()
        fig.savefig(path)
    return path


def cluster_sizes(result: MiningResult, path: Path, top: int = 15) -> Path:
    """The largest clusters by their Chinese labels."""
    rows = result.clusters[:top][::-1]
    with _context():
        fig = _figure(8, 0.45 * max(len(rows), 3) + 1.2)
        ax = fig.add_subplot()
        ax.barh([f"{c['id']}. {c['label']}" for c in rows], [c["size"] for c in rows], color="#c0504d")
        ax.xaxis.set_major_locator(_integer_ticks())
        ax.set_xlabel("问题条数")
        ax.set_title(f"主要问题聚类（共 {len(result.clusters)} 类，未归类 {len(result.unclustered)} 条）")
        fig.tight_layout()
        fig.savefig(path)
    return path


def write_charts(result: MiningResult, folder: Path) -> list[Path]:
    """Every chart that applies: theme charts need tagged statements."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    if result.themes is not None:
        out.append(theme_frequency(result, folder / "theme_frequency.png"))
        out += [theme_heatmap(result, folder / f"{stem}.png", key) for key, (stem, _, _) in HEATMAPS.items()]
    if result.clusters:
        out.append(cluster_sizes(result, folder / "clusters.png"))
    return out
