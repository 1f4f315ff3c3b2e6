"""Score kg on the team's blind annotations of ../shared/corpus/blind (tests/gold/blind).

    python benchmarks/score_blind.py                 # extract with this checkout, print the table
    python benchmarks/score_blind.py --json DIR      # score saved `kg extract` JSON files instead
                                                     # (DIR/<source>_<file>.json), e.g. an older commit's
    python benchmarks/score_blind.py --real          # the same table on the 53 earlier annotations
                                                     # (tests/gold/real), to check for a drop

The first run on new annotations is the blind-first figure the issues ask for; the tests
(tests/test_blind.py) hold the bars.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluate import (HEADER_FIELDS, Score, f1, score_effects, score_header, score_named,  # noqa: E402
                         score_numbered, score_structure)
from kg.models import Document  # noqa: E402

SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "gold" / "blind"
GOLD_REAL = ROOT / "tests" / "gold" / "real"


def _doc(gold_doc: str, json_dir: Path | None) -> Document:
    path = SHARED / gold_doc
    if json_dir is None:
        import kg

        return kg.extract(path)
    name = "_".join(Path(gold_doc).parts[-2:]).replace(".txt", ".json")
    return Document.from_dict(json.loads((json_dir / name).read_text(encoding="utf-8")))


def score_all(json_dir: Path | None = None, real: bool = False) -> dict:
    """Every score over the blind annotations, or with ``real`` over tests/gold/real (no structure)."""
    numbered, named, effects = Score(), Score(), Score(field_ok={"effective": 0})
    header = {f: [0, 0] for f in (*HEADER_FIELDS, "effective")}
    for p in sorted((GOLD_REAL if real else GOLD / "cites").rglob("*.json")):
        gold = json.loads(p.read_text(encoding="utf-8"))
        doc = _doc(gold["document"], json_dir)
        numbered.add(score_numbered(doc, gold))
        named.add(score_named(doc, gold))
        effects.add(score_effects(doc, gold))
        for f, (ok, n) in score_header(doc, gold).items():
            header[f][0] += ok
            header[f][1] += n
            if not ok:
                got = doc.effective if f == "effective" else getattr(doc.header, f)
                effects.wrong.append(f"{gold['document']}: header {f} {got!r} != {gold['header'].get(f)!r}")
    tot: dict[str, int] = {}
    for p in [] if real else sorted((GOLD / "structure").glob("*.json")):
        gold = json.loads(p.read_text(encoding="utf-8"))
        doc = _doc("corpus/" + gold["file"], json_dir)
        for k, v in score_structure(doc, gold).items():
            tot[k] = tot.get(k, 0) + v
    return {"numbered": numbered, "named": named, "effects": effects, "header": header, "structure": tot}


def report(r: dict) -> str:
    n, nm, e, h, t = r["numbered"], r["named"], r["effects"], r["header"], r["structure"]
    lines = [
        f"numbered  P {n.precision:.3f} R {n.recall:.3f} F1 {n.f1:.3f}  date {n.field_rate('date'):.3f} "
        f"issuer {n.field_rate('issuer'):.3f} relation {n.field_rate('relation'):.3f} type {n.field_rate('doc_type'):.3f}"
        f"  ({n.tp + n.fn} in the gold)",
        f"named     P {nm.precision:.3f} R {nm.recall:.3f} F1 {nm.f1:.3f}  ({nm.tp + nm.fn} in the gold)",
        f"effects   P {e.precision:.3f} R {e.recall:.3f} F1 {e.f1:.3f}  effective date {e.field_rate('effective'):.3f}"
        f"  ({e.tp + e.fn} in the gold)",
        "header    " + "  ".join(f"{f} {ok / max(1, k):.3f}" for f, (ok, k) in h.items()) + f"  ({h['date'][1]} documents)",
    ]
    if t:
        lines.append(
            f"structure task F1 {f1(t['tp'], t['pred'], t['gold']):.3f} ids {t['ids'] / max(1, t['tp']):.3f} "
            f"role F1 {f1(t['role_tp'], t['role_pred'], t['role_gold']):.3f} "
            f"agency recall {t['ag_found'] / max(1, t['ag_gold']):.3f} "
            f"citation on task {t['cit_ok'] / max(1, t['cit_gold']):.3f} "
            f"table rows {t['rows_found']}/{t['rows_gold']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path, help="score saved extraction JSON files from this folder")
    ap.add_argument("--details", action="store_true", help="list every miss, extra and wrong field")
    ap.add_argument("--real", action="store_true", help="score the 53 earlier annotations (tests/gold/real) instead")
    a = ap.parse_args()
    if not (SHARED / "corpus" / "blind").is_dir():
        sys.exit(f"{SHARED / 'corpus' / 'blind'} is absent: ../shared is not beside the project")
    r = score_all(a.json, a.real)
    print(report(r))
    if a.details:
        for k in ("numbered", "named", "effects"):
            s = r[k]
            print(f"\n## {k}")
            print("\n".join(s.misses + s.extras + s.wrong))


if __name__ == "__main__":
    main()
