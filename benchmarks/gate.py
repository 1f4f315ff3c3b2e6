"""The CI gate's arithmetic: this run's figures against the recorded ones, as messages (none: pass).

Speed is judged by ratios to the floor measured in the same process (a bare single-regex scan of
the same text), so a slow or busy machine slows both sides and the ratio stays; each side is the
best of several runs, which drops the runs another process interrupted. A ratio may grow by
`tolerance` (15 %) before the gate fails. Accuracy figures (F1 and field rates over the blind
annotations) may not drop at all beyond rounding (`slack`); a rise passes, and is recorded by
running `python benchmarks/bench_extract.py --quick --record`.
"""

from __future__ import annotations

from typing import Any

RATIOS = ("citations_to_floor", "full_to_floor")


def recorded_ratios(extract_json: dict[str, Any]) -> dict[str, float]:
    """The real corpus's ratios in benchmarks/results/extract.json (older files give only MB/s)."""
    row = next(r for r in extract_json["rows"] if r["input"] == "real corpus")
    out = {"citations_to_floor": row.get("citations_to_floor") or row["floor_MBps"] / row["citations_MBps"],
           "full_to_floor": row.get("full_to_floor") or row["floor_MBps"] / row["full_extract_MBps"]}
    return {k: round(v, 2) for k, v in out.items()}


def accuracy_figures(r: dict[str, Any]) -> dict[str, float]:
    """The figures a change must not lower, from benchmarks.score_blind.score_all."""
    from kg.evaluate import f1

    out = {"numbered_f1": r["numbered"].f1, "named_f1": r["named"].f1, "effects_f1": r["effects"].f1}
    for field in ("date", "relation", "doc_type", "issuer"):
        out[f"numbered_{field}"] = r["numbered"].field_rate(field)
    for field, (ok, n) in r["header"].items():
        out[f"header_{field}"] = ok / max(1, n)
    t = r["structure"]
    if t:
        out["structure_task_f1"] = f1(t["tp"], t["pred"], t["gold"])
        out["structure_role_f1"] = f1(t["role_tp"], t["role_pred"], t["role_gold"])
    return {k: round(v, 4) for k, v in out.items()}


def check(ratios: dict[str, float], recorded: dict[str, float], accuracy: dict[str, float] | None = None,
          recorded_accuracy: dict[str, float] | None = None, tolerance: float = 0.15,
          slack: float = 0.0005) -> list[str]:
    """Why this run fails the gate: one message per ratio grown too much or figure dropped."""
    failures = []
    for name in RATIOS:
        if name in recorded and name in ratios and ratios[name] > recorded[name] * (1 + tolerance):
            failures.append(f"{name} {ratios[name]:.2f} is more than {tolerance:.0%} above the recorded "
                            f"{recorded[name]:.2f}")
    for name, was in (recorded_accuracy or {}).items():
        now = (accuracy or {}).get(name)
        if now is None:
            failures.append(f"{name}: no figure this run (recorded {was:.4f})")
        elif now < was - slack:
            failures.append(f"{name} dropped from {was:.4f} to {now:.4f}")
    return failures
