"""Structure stage: sections, tasks, citations attached to tasks, agencies and their roles.

The seed is checked against ../shared/gold/seed.json; eleven more real documents against the hand
annotation in tests/gold/structure (seven plans, four decisions/resolutions with articles; three of
them annotated blind, without the extractor's output), with the bars stated below; every real
document against the no-text-lost rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg.extract import extract_text
from kg.ingest.normalize import fold
from tests.conftest import CORPUS, SEED, need_shared

GOLD = Path(__file__).parent / "gold" / "structure"
# Bars, over all annotated documents together. Measured last (issue 15's work): task F1 0.943, ids
# 0.934, role F1 0.701, agency recall 1.000 (272 of 277 annotated tasks found, 300 predicted in scope;
# 81 of 98 roles, 133 predicted: these annotations give only the department each numbered unit
# assigns, so every other role the clause names counts against precision here). Before: task F1
# 0.94, ids 0.93, role F1 0.76, agency recall 1.00. The blind annotations of issue 15 are scored
# with their own bars in tests/test_blind_structure.py.
TASK_F1_BAR = 0.93  # task boundaries: a task found where the annotation starts one
ID_ACC_BAR = 0.92  # of the matched tasks, the id is the annotated one
ROLE_F1_BAR = 0.70  # (task, agency, role) triples
AGENCY_RECALL_BAR = 0.98  # annotated agencies found under their canonical names


def _norm(s: str) -> str:
    return " ".join(s.split()).lower()


def _starts(t, prefix: str) -> bool:
    return _norm(t.text).startswith(_norm(prefix))


# -- the seed ---------------------------------------------------------------------------------

def test_seed_sections(seed_doc):
    heads = {s.id: s.heading for s in seed_doc.sections}
    assert heads["II.1"] == "Hoạt động quản lý khoa học"
    assert heads["II.2"] == "Hoạt động quản lý chuyên ngành"
    assert heads["II.6"] == "Hành chính, tổ chức và công tác khác"
    assert {f"II.{i}" for i in range(1, 7)} <= set(heads)


def test_seed_citations_attached(seed_doc, seed_gold):
    tasks = {t.id: t for t in seed_doc.tasks}
    by_ident = {c.identifier: c for c in seed_doc.citations if c.identifier}
    in_body = [g for g in seed_gold["citations"] if "task_starts_with" in g]
    assert len(in_body) == 13
    for g in in_body:
        c = by_ident[g["identifier"]]
        assert c.task is not None, g["identifier"]
        assert _starts(tasks[c.task], g["task_starts_with"]), (g["identifier"], tasks[c.task].text[:60])
        assert tasks[c.task].section == g["section"]
    for g in seed_gold["citations"]:
        if g["section"] == "preamble":
            assert by_ident[g["identifier"]].task is None


def test_seed_agencies_and_roles(seed_doc, seed_gold):
    names = {a.name for a in seed_doc.agencies}
    assert set(seed_gold["agencies"]) <= names
    advised = [t for t in seed_doc.tasks if t.text.startswith("Tham mưu UBND tỉnh")]
    assert len(advised) >= 3
    for t in advised:
        assert ("Ủy ban nhân dân tỉnh Tây Ninh", "advised") in {(a.name, a.role) for a in t.agencies}
    prog = next(t for t in seed_doc.tasks if t.text.startswith("Chương trình phối hợp hoạt động giai đoạn 2022-2025"))
    partners = {a.name for a in prog.agencies if a.role == "partner"}
    assert {"Tỉnh đoàn Tây Ninh", "Hội Nông dân tỉnh Tây Ninh"} <= partners
    assert prog.parent == "II.1.2" and prog.id == "II.1.2.1"  # "+" under "- Tiếp tục triển khai:"


def test_seed_nesting_actions_periods(seed_doc):
    t = {t.id: t for t in seed_doc.tasks}
    assert t["II.1.1"].text == "Tham mưu UBND tỉnh:" and t["II.1.1.3"].parent == "II.1.1"
    assert t["II.1.1.1"].action == "Tham mưu"  # a bare item does what its lead-in says
    assert t["II.2.4"].action == "Chủ trì"
    assert "nếu có" in t["II.1.1.3"].conditions
    assert "giai đoạn 2022-2025" in t["II.1.2.1"].periods
    office = next(a for a in seed_doc.agencies if a.name.startswith("Văn phòng Sở"))
    assert office.name == "Văn phòng Sở Khoa học và Công nghệ tỉnh Tây Ninh" and office.level == "unit"
    # "Văn phòng Sở tham mưu, ..." under "TỔ CHỨC THỰC HIỆN": the subject of the item says what it
    # does, so it leads it (issue 15; "assigned" is for an item under an agency's heading)
    assert ("Văn phòng Sở Khoa học và Công nghệ tỉnh Tây Ninh", "lead") in {
        (a.name, a.role) for a in t["III.1"].agencies}
    # the wrapped "năm 2022 \n– 2023." is not a bullet
    assert t["II.2.5.2"].text.endswith("năm 2022 - 2023.")


# -- table-driven, from real lines ------------------------------------------------------------

@pytest.mark.parametrize("text, tid, parent, start", [
    ("I. NỘI DUNG\n1. Kiện toàn và hoàn thiện cơ chế chỉ đạo, điều\nhành phòng thủ dân sự.\n"
     "2. Triển khai thực hiện các văn bản hướng dẫn thi\nhành Nghị định.\n", "I.2", None, "Triển khai thực hiện"),
    ("II. NỘI\nDUNG KẾ HOẠCH\n\n1.\nTrên cơ sở tài liệu do Trung ương biên soạn, các cơ\nquan tổ chức tuyên truyền.\n\n"
     "- Cơ quan thực hiện: Sở Khoa\nhọc và Công nghệ; Sở Tư pháp.\n", "II.1", None, "Trên cơ sở tài liệu"),
    ("Điều 3. Trách nhiệm\ncủa Giám đốc Sở Nông nghiệp và Môi trường\n1. Chịu trách nhiệm trước Ủy\nban nhân dân thành phố.\n"
     "2. Bố trí nhân lực và điều\nkiện cần thiết.\n", "Điều 3.2", "Điều 3", "Bố trí nhân lực"),
    ("Điều 2. Nội dung:\na) Chỉ đạo và tổ chức thực hiện;\nb) Tổ chức xét thăng hạng.\n", "Điều 2.b", "Điều 2", "Tổ chức xét"),
    ("1 . Bãi_bỏ phần B2 .\n2 . Điều_chỉnh mức thu .\n", "2", None, "Điều chỉnh mức thu"),
])
def test_units_from_real_lines(text, tid, parent, start):
    doc = extract_text(text)
    t = {t.id: t for t in doc.tasks}[tid]
    assert t.parent == parent
    assert _norm(t.text).startswith(_norm(start))


@pytest.mark.parametrize("line, name, role", [
    ("- Chương trình phối hợp giữa Sở KH&CN với Tỉnh đoàn, Hội Nông dân tỉnh.", "Hội Nông dân tỉnh Tây Ninh", "partner"),
    ("- Sở Tài chính chủ trì, phối hợp với Sở Tư pháp thẩm định.", "Sở Tư pháp tỉnh Tây Ninh", "partner"),
    ("- Sở Tài chính chủ trì, phối hợp với Sở Tư pháp thẩm định.", "Sở Tài chính tỉnh Tây Ninh", "lead"),
    ("- Xây dựng kế hoạch theo hướng dẫn của Bộ KH&CN.", "Bộ Khoa học và Công nghệ", "guidance"),
    ("- Trình UBND tỉnh chủ trương xây dựng Khu làm việc chung.", "Ủy ban nhân dân tỉnh Tây Ninh", "advised"),
    ("- Phối hợp đỡ đầu xã Long Thuận (huyện Bến Cầu).", "xã Long Thuận, huyện Bến Cầu", "mentioned"),
])
def test_roles_from_real_lines(line, name, role):
    head = "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH\nSố: 1/KH-UBND\nTây Ninh, ngày 01 tháng 02 năm 2023\nKẾ HOẠCH\nVề việc thử\nI. NỘI DUNG\n"
    doc = extract_text(head + line + "\n")
    roles = {(a.name, a.role) for t in doc.tasks for a in t.agencies}
    assert (name, role) in roles, roles


def test_recipients_and_signer():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 980/KH-UBND\nNghệ An, ngày 18 tháng 11 năm 2025\nKẾ HOẠCH\nThử\n"
            "I. NỘI DUNG\n1. Bộ CHQS tỉnh có trách nhiệm tham mưu Ủy ban nhân dân tỉnh theo dõi.\n"
            "Nơi nhận:\n- Chủ tịch UBND tỉnh;\n- Sở Tài chính;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n")
    doc = extract_text(text)
    t = {t.id: t for t in doc.tasks}
    assert ("Sở Tài chính tỉnh Nghệ An", "recipient") in {(a.name, a.role) for a in t["Nơi nhận"].agencies}
    assert t["Người ký"].action == "Phó chủ tịch"
    assert {(a.name, a.role) for a in t["I.1"].agencies} >= {("Bộ Chỉ huy Quân sự tỉnh Nghệ An", "assigned"),
                                                              ("Ủy ban nhân dân tỉnh Nghệ An", "advised")}


# -- no task loses text -----------------------------------------------------------------------

def _footnotes(doc) -> list[tuple[int, int]]:
    """The footnotes' spans in doc.text: they belong to their marker's task, not to where they stand."""
    from kg.extract.footnotes import find_footnotes

    f = fold(doc.text)
    return [(f.orig(n.start), f.orig(n.end)) for n in find_footnotes(f.text, 0, len(f.text))]


def _blank(s: str) -> bool:
    """Only whitespace once page furniture (running heads, page numbers) is folded away."""
    return not fold("\n" + s + "\n").text.strip()


def coverage_errors(doc) -> list[tuple]:
    T, errs = doc.text, []
    for a, b in _footnotes(doc):  # footnotes are read apart
        T = T[:a] + "".join(ch if ch == "\n" else " " for ch in T[a:b]) + T[b:]
    tasks = [t for t in doc.tasks if t.kind not in ("recipients", "signature")]
    kids: dict[str | None, list] = {}
    for s in doc.sections:
        kids.setdefault(s.parent, []).append((s.start, s.end, s.id))
    for t in tasks:
        kids.setdefault(t.parent or ("§" + t.section if t.section else None), []).append((t.start, t.end, t.id))
    containers = [(s.id, s.start, s.end, [*kids.get(s.id, []), *kids.get("§" + s.id, [])]) for s in doc.sections]
    containers += [(t.id, t.start, t.end, kids.get(t.id, [])) for t in tasks]
    for cid, a, b, ch in containers:
        pos = None
        for s, e, i in sorted(ch):
            if not a <= s <= e <= b:
                errs.append(("outside", cid, i))
            if pos is not None and s < pos:
                errs.append(("overlap", cid, i))
            elif pos is not None and not _blank(T[pos:s]):
                errs.append(("gap", cid, i, T[pos:s].strip()[:40]))
            pos = e
        if ch and not _blank(T[pos:b]):
            errs.append(("tail", cid, T[pos:b].strip()[:40]))
    return errs


def _real_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.txt")) if CORPUS.exists() else []


@pytest.mark.parametrize("path", _real_files() or [CORPUS / "absent"], ids=lambda p: p.name)
def test_no_task_loses_text(path):
    need_shared(path)
    doc = kg.extract(path)
    assert coverage_errors(doc) == []
    ids = [t.id for t in doc.tasks]
    assert len(ids) == len(set(ids))
    notes = _footnotes(doc)
    for i, c in enumerate(doc.citations):  # each citation sits in the task it is attached to
        if c.task is not None and not any(a <= c.start < b for a, b in notes):  # a footnote's: its marker's task
            t = next(t for t in doc.tasks if t.id == c.task)
            assert t.start <= c.start < t.end and i in t.citations


def test_seed_covered(seed_doc):
    assert coverage_errors(seed_doc) == []


# -- scoring against the hand annotation ------------------------------------------------------

def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 1.0


def _in_scope(tid: str, scope) -> bool:
    return scope is None or any(tid == s or tid.startswith(s + ".") for s in scope)


def score(gold: dict) -> dict:
    doc = kg.extract(CORPUS / gold["file"])
    pred = [t for t in doc.tasks if t.kind not in ("recipients", "signature") and _in_scope(t.id, gold["scope"])]
    gold_tasks = gold["tasks"]
    used: set[int] = set()
    matched: dict[str, object] = {}
    for gid, start in gold_tasks:  # boundaries: the annotated start, in order, each task once
        k = next((i for i, t in enumerate(pred) if i not in used and _starts(t, start)), None)
        if k is not None:
            used.add(k)
            matched[gid] = pred[k]
    ids_ok = sum(1 for gid, t in matched.items() if t.id == gid)
    gold_roles = {(g[0], g[1], g[2]) for g in gold["roles"]}
    # These annotations predate the reports_to role: "báo cáo (về) X" was written as advised there.
    pred_roles = {(gid, a.name, "advised" if a.role == "reports_to" else a.role)
                  for gid, t in matched.items() for a in t.agencies if a.role != "mentioned"}
    scoped = {g[0] for g in gold["roles"]}
    pred_roles = {r for r in pred_roles if r[0] in scoped}
    names = {a.name for a in doc.agencies}
    return {"tp": len(matched), "pred": len(pred), "gold": len(gold_tasks), "ids": ids_ok,
            "role_tp": len(gold_roles & pred_roles), "role_pred": len(pred_roles), "role_gold": len(gold_roles),
            "ag_found": sum(1 for a in gold["agencies"] if a in names), "ag_gold": len(gold["agencies"])}


GOLD_FILES = sorted(GOLD.glob("*.json"))


def test_annotation_shape():
    kinds = [json.loads(p.read_text(encoding="utf-8"))["kind"] for p in GOLD_FILES]
    assert kinds.count("plan") >= 5 and len(kinds) - kinds.count("plan") >= 3


def test_structure_scores():
    need_shared(CORPUS)
    tot: dict[str, int] = {}
    for p in GOLD_FILES:
        for k, v in score(json.loads(p.read_text(encoding="utf-8"))).items():
            tot[k] = tot.get(k, 0) + v
    task_f1 = _f1(tot["tp"], tot["pred"], tot["gold"])
    role_f1 = _f1(tot["role_tp"], tot["role_pred"], tot["role_gold"])
    report = (f"task F1 {task_f1:.3f} ids {tot['ids'] / max(1, tot['tp']):.3f} role F1 {role_f1:.3f} "
              f"agency recall {tot['ag_found'] / tot['ag_gold']:.3f} {tot}")
    print(report)
    assert task_f1 >= TASK_F1_BAR, report
    assert tot["ids"] / max(1, tot["tp"]) >= ID_ACC_BAR, report
    assert role_f1 >= ROLE_F1_BAR, report
    assert tot["ag_found"] / tot["ag_gold"] >= AGENCY_RECALL_BAR, report
