"""The domain lexicons under corpora/lexicon load and the schema check names what is wrong."""
from __future__ import annotations

import pytest

from pbm_nlp.lexicon import LexiconError, available, load_lexicon


def test_every_bundled_lexicon_loads():
    names = available()
    assert "places" in names
    for name in names:
        lex = load_lexicon(name)
        assert lex.description.strip()


def test_places_lists_provinces_and_cities():
    lex = load_lexicon("places")
    assert "宁夏回族自治区" in lex.words("provinces")
    assert "开封" in lex.words("cities")
    assert "街道" in lex.words("division_suffixes")


@pytest.mark.parametrize("body, key", [
    ("lists: {a: [x]}\n", "description"),
    ("description: d\nlists: {a: [x, x]}\n", "lists.a"),
    ("description: d\npatterns: {p: '(unclosed'}\n", "patterns.p"),
    ("description: d\nwords: [a]\n", "words"),
    ("description: d\nlists: {a: [1, '']}\n", "lists.a"),
])
def test_malformed_lexicon_names_file_and_key(tmp_path, body, key):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "bad.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=key.replace(".", r"\.")) as info:
        load_lexicon("bad", corpora=tmp_path)
    assert "bad.yaml" in info.value.zh


def test_missing_entry_is_a_clear_error():
    with pytest.raises(LexiconError, match="no lists.nonexistent"):
        load_lexicon("places").words("nonexistent")
