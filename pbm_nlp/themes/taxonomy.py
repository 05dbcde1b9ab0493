"""The problem themes, read from corpora/themes.yaml (the labelling contract; trainers may add)."""
from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import config
from ..errors import InputError

_ID = re.compile(r"^[a-z][a-z0-9_]{2,40}$")


@dataclass
class Theme:
    id: str
    name: str
    definition: str
    cues: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    boundary: str = ""

    def prototype_text(self) -> str:
        """What the encoder reads as the theme's description."""
        return f"{self.name}：{self.definition}" + ("；" + "；".join(self.cues) if self.cues else "")


def themes_path() -> Path:
    return config.CORPORA_DIR / "themes.yaml"


def load_themes(path: Path | None = None) -> list[Theme]:
    """The themes as the file now says (parsed once per version of the file: every request reads them)."""
    path = path or themes_path()
    st = path.stat()
    return [copy.deepcopy(t) for t in _parsed(str(path), (st.st_mtime_ns, st.st_size, st.st_ino))]


@lru_cache(maxsize=8)
def _parsed(path: str, version: tuple[int, int, int]) -> tuple[Theme, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple(Theme(**{k: t.get(k) or ([] if k in ("cues", "keywords") else "") for k in
                          ("id", "name", "definition", "cues", "keywords", "boundary")}) for t in data["themes"])


def theme_ids(path: Path | None = None) -> list[str]:
    return [t.id for t in load_themes(path)]


def theme_names(path: Path | None = None) -> dict[str, str]:
    """id → 中文名, in the contract's order."""
    return {t.id: t.name for t in load_themes(path)}


def add_theme(theme: Theme, path: Path | None = None) -> None:
    """Append a theme (from the trainer's UI); ids must be new snake_case, names new too."""
    path = path or themes_path()
    existing = load_themes(path)
    if not _ID.match(theme.id):
        raise InputError(f"主题编号 {theme.id!r} 无效：请用小写英文字母、数字和下划线。",
                         f"invalid theme id {theme.id!r}: use lowercase letters, digits and underscores.")
    if any(t.id == theme.id or t.name == theme.name for t in existing):
        raise InputError(f"主题 {theme.id}/{theme.name} 已存在。", f"theme {theme.id}/{theme.name} already exists.")
    if not theme.name.strip() or not theme.definition.strip():
        raise InputError("新主题需要中文名和定义。", "a new theme needs a name and a definition.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["themes"].append(asdict(theme))
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    tmp.replace(path)
