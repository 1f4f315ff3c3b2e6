"""Precision and recall per field against the team's hand annotation of real documents.

The annotations (tests/gold/real, made per ../shared/gold/GUIDELINE.md without looking at the
extractor's output) cover every text shape of ../shared/corpus/real. The bars are the issue's
acceptance bars; the test prints what it missed so a regression is easy to read.
"""

from __future__ import annotations

import pytest

from conftest import GOLD_REAL, SHARED, need_shared
from kg import extract
from kg.evaluate import Score, load_gold, score_named, score_numbered

GOLD_FILES = sorted(GOLD_REAL.rglob("*.json"))


def _score():
    need_shared(SHARED / "corpus" / "real")
    numbered, named = Score(), Score()
    shapes = set()
    for g in GOLD_FILES:
        gold = load_gold(g)
        shapes.add(gold["document"].split("/")[2])
        doc = extract(SHARED / gold["document"])
        numbered.add(score_numbered(doc, gold))
        named.add(score_named(doc, gold))
    return numbered, named, shapes


@pytest.fixture(scope="module")
def scores():
    return _score()


def test_gold_covers_every_text_shape(scores):
    assert len(GOLD_FILES) >= 15
    assert len(scores[2]) >= 8  # every source folder of ../shared/corpus/real (one per text shape)


def test_distinct_numbered_documents_f1(scores):
    s = scores[0]
    report = "\n".join(s.misses + s.extras)
    assert s.f1 >= 0.97, f"P={s.precision:.3f} R={s.recall:.3f}\n{report}"


def test_date_and_issuer_of_matched_documents(scores):
    s = scores[0]
    assert s.field_rate("date") >= 0.95, "\n".join(s.wrong)
    assert s.field_rate("issuer") >= 0.95, "\n".join(s.wrong)
    assert s.field_rate("relation") >= 0.95, "\n".join(s.wrong)
    assert s.field_rate("doc_type") >= 0.95, "\n".join(s.wrong)


def test_documents_cited_by_name(scores):
    s = scores[1]
    assert s.f1 >= 0.90, f"P={s.precision:.3f} R={s.recall:.3f}\n" + "\n".join(s.misses + s.extras)
