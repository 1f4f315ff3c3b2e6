"""The grammar is data: one document type and one relation type are added by editing tables in a
copy of kg/grammar/data (KG_GRAMMAR_DIR), and they flow to extraction, the graph and the queries,
with no code changed. This is the README's worked example, run for real."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "kg" / "grammar" / "data"

TEXT = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
Số: 77/QĐ-UBND
Đắk Lắk, ngày 20 tháng 11 năm 2025

QUYẾT ĐỊNH
Gia hạn thời hạn áp dụng

Căn cứ Quy chế phối hợp số 49/QCPH-UBND-UBMT ngày 05 tháng 6 năm 2024 của Ủy ban nhân dân tỉnh Đắk Lắk;

QUYẾT ĐỊNH:
Điều 1. Gia hạn thời hạn áp dụng Quyết định số 12/2020/QĐ-UBND ngày 01/3/2020 của Ủy ban nhân dân tỉnh Đắk Lắk đến hết ngày 31 tháng 12 năm 2026.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


def _extended(tmp: Path) -> Path:
    g = tmp / "grammar"
    shutil.copytree(DATA, g)
    types = yaml.safe_load((g / "doc_types.yaml").read_text(encoding="utf-8"))
    types.insert(0, {"name": "Quy chế phối hợp", "en": "Coordination rules", "normative": False,
                     "codes": ["QCPH"], "skos": "QuyChePhoiHop"})
    (g / "doc_types.yaml").write_text(yaml.safe_dump(types, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rel = yaml.safe_load((g / "relations.yaml").read_text(encoding="utf-8"))
    rel["relations"].append({"id": "extends", "act": True, "concept": "gia-han", "property": "kg:extends",
                             "parent": "eli:changes", "broader": "thay-doi", "vi": "gia hạn", "en": "extends"})
    (g / "relations.yaml").write_text(yaml.safe_dump(rel, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cues = yaml.safe_load((g / "cues.yaml").read_text(encoding="utf-8"))
    cues["effects"]["extends"] = ["gia hạn thời hạn áp dụng", "gia hạn"]
    (g / "cues.yaml").write_text(yaml.safe_dump(cues, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return g


def _kg(*args: str, grammar: Path | None, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KG_GRAMMAR_DIR", None)
    if grammar is not None:
        env["KG_GRAMMAR_DIR"] = str(grammar)
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def test_a_new_document_type_and_relation_flow_to_the_graph(tmp_path):
    doc = tmp_path / "qd-77.txt"
    doc.write_text(TEXT, encoding="utf-8")
    grammar = _extended(tmp_path)

    before = json.loads(_kg("extract", str(doc), grammar=None, cwd=tmp_path).stdout)
    after = json.loads(_kg("extract", str(doc), grammar=grammar, cwd=tmp_path).stdout)
    # without the rows, the text's words name neither the type nor the act
    assert {c["doc_type"] for c in before["citations"] if c["identifier"].startswith("49/")} != {"Quy chế phối hợp"}
    assert before["effects"] == []
    # with them: the type from its code, the act with its operative sentence
    assert {c["doc_type"] for c in after["citations"] if c["identifier"].startswith("49/")} == {"Quy chế phối hợp"}
    assert [(e["act"], e["target"], e["scope"]) for e in after["effects"]] == [("extends", "12/2020/QĐ-UBND", "whole")]

    store = tmp_path / "store"
    r = _kg("build", str(doc), "--store", str(store), grammar=grammar, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    q = ("PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "SELECT ?label WHERE { ?a kg:extends ?b . ?b rdfs:label ?label . "
         "kg:extends rdfs:subPropertyOf kg:restsOn }")
    r = _kg("sparql", q, "--store", str(store), "--format", "json", grammar=grammar, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [row["label"] for row in json.loads(r.stdout)] == ["12/2020/QĐ-UBND"]
    # the shipped impact query follows kg:restsOn, so the new relation shows with its own label
    r = _kg("impact", "12/2020/QĐ-UBND", "--store", str(store), "--format", "json", grammar=grammar, cwd=tmp_path)
    rows = json.loads(r.stdout)
    assert ("extends", "gia hạn") in {(row["relation"], row["relation_vi"]) for row in rows}
