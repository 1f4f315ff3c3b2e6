"""Structure on the team's blind annotations of 14 plans (tests/gold/blind/structure, made by
reading the text only; conventions in tests/gold/blind/README.md), scored by kg.evaluate's
score_structure as benchmarks/score_blind.py does.

Blind-first figure (the extractor at d23a5df, before any change prompted by these annotations):
task F1 0.792, ids 0.948, role F1 0.319, agency recall 0.573, citation on task 0.774, table rows
0/39. Issue 15 asks task F1 >= 0.97, citation on task >= 0.98, role F1 >= 0.90, agency recall >=
0.95 and tables read on every annotated plan that has one. Reached so far (the bars below are the
reached figures, rounded down, not the issue's): task F1 0.927, ids 0.967, role F1 0.640, agency
recall 0.769, citation on task 0.822, table rows 37/39 (3 of 3 plans with a table). Then
(branch structure: attribute headings, actor openers, names split by a line break, footnotes at the
document's end, the merged provincial media's name): task F1 0.958, ids 0.968, role F1 0.663, agency
recall 0.780, citation on task 0.904, table rows 37/39.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg.evaluate import f1, score_structure
from tests.conftest import SHARED, need_shared

GOLD = Path(__file__).parent / "gold" / "blind" / "structure"
TASK_F1_BAR = 0.95  # issue 15: 0.97
ID_ACC_BAR = 0.96
ROLE_F1_BAR = 0.66  # issue 15: 0.90
AGENCY_RECALL_BAR = 0.78  # issue 15: 0.95
CITATION_BAR = 0.90  # issue 15: 0.98
ROWS_BAR = 0.94  # of the annotated table rows; and every plan with a table has its rows read


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, int]]:
    need_shared(SHARED / "corpus" / "blind")
    out = {}
    for p in sorted(GOLD.glob("*.json")):
        gold = json.loads(p.read_text(encoding="utf-8"))
        out[p.name] = score_structure(kg.extract(SHARED / "corpus" / gold["file"]), gold)
    return out


def test_blind_structure_bars(scores):
    t: dict[str, int] = {}
    for s in scores.values():
        for k, v in s.items():
            t[k] = t.get(k, 0) + v
    report = (f"task F1 {f1(t['tp'], t['pred'], t['gold']):.3f} ids {t['ids'] / max(1, t['tp']):.3f} "
              f"role F1 {f1(t['role_tp'], t['role_pred'], t['role_gold']):.3f} "
              f"agency recall {t['ag_found'] / max(1, t['ag_gold']):.3f} "
              f"citation on task {t['cit_ok'] / max(1, t['cit_gold']):.3f} table rows {t['rows_found']}/{t['rows_gold']}")
    print(report)
    assert f1(t["tp"], t["pred"], t["gold"]) >= TASK_F1_BAR, report
    assert t["ids"] / max(1, t["tp"]) >= ID_ACC_BAR, report
    assert f1(t["role_tp"], t["role_pred"], t["role_gold"]) >= ROLE_F1_BAR, report
    assert t["ag_found"] / max(1, t["ag_gold"]) >= AGENCY_RECALL_BAR, report
    assert t["cit_ok"] / max(1, t["cit_gold"]) >= CITATION_BAR, report
    assert t["rows_found"] / max(1, t["rows_gold"]) >= ROWS_BAR, report


def test_every_annotated_table_is_read(scores):
    for name, s in scores.items():
        if s["rows_gold"]:
            assert s["rows_found"] >= 0.8 * s["rows_gold"], (name, s)
