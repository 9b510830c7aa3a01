"""The catalogues: one per language, the same keys and the same blanks in each."""

from __future__ import annotations

import pytest

from botu import i18n


def _flat(entry, prefix=""):
    if isinstance(entry, dict):
        for key, value in entry.items():
            yield from _flat(value, f"{prefix}{key}.")
    elif isinstance(entry, list):
        for i, value in enumerate(entry):
            yield from _flat(value, f"{prefix}{i}.")
    else:
        yield prefix.rstrip("."), entry


def test_every_language_has_the_same_keys():
    keys = {lang: dict(_flat(i18n.catalogue(lang))) for lang in i18n.LANGUAGES}
    first, *rest = i18n.LANGUAGES
    for lang in rest:
        assert sorted(keys[first]) == sorted(keys[lang]), f"{first}.yml and {lang}.yml differ"


def test_every_sentence_has_the_same_blanks_in_every_language():
    first, *rest = i18n.LANGUAGES
    flat = {lang: dict(_flat(i18n.catalogue(lang))) for lang in i18n.LANGUAGES}
    for key, text in flat[first].items():
        if not isinstance(text, str) or key.startswith("notes."):
            continue
        for lang in rest:
            assert i18n.blanks(text) == i18n.blanks(flat[lang][key]), key


def test_say_fills_blanks_and_names_a_missing_key():
    assert i18n.say("site.counts", "en", n_teams=7, n_segments=12) == "7 teams · 12 segments"
    assert i18n.say("site.counts", "nl", n_teams=7, n_segments=12) == "7 teams · 12 segmenten"
    with pytest.raises(KeyError, match="no_such_key"):
        i18n.say("site.no_such_key", "nl")


def test_count_uses_the_singular_for_one():
    assert i18n.count("text.segments", 1, "nl") == "1 segment"
    assert i18n.count("text.segments", 3, "nl") == "3 segmenten"
    assert i18n.count("text.segments", 3, "en") == "3 segments"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of nl, en"):
        i18n.check_lang("de")
