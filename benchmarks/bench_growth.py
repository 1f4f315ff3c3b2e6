"""How each stage's cost grows with an adversarial input: 1 -> 2 -> 4 -> 8 times the size.

    python benchmarks/bench_growth.py [--out benchmarks/results/growth.json] [--scale 1.0] [--only NAME]

Issue 19 found inputs whose cost grew faster than they did (nested <div>s: 7 s at 2,000 levels,
156 s at 8,000). For every shape here the input is doubled three times and the time of the stage
measured in this one process as CPU time (so that other work on a shared machine does not
skew it; best of three unless a run takes over 3 s); the ratio per doubling is
t(2n) / t(n): 2 is linear, 4 quadratic. A shape is called linear when the mean ratio per doubling over the
series (the cube root of t(8n) / t(n)) is at most 2.3; each step's ratio is reported too.
Sizes are small enough for the whole run to take a few minutes even where a stage is quadratic
today; a size whose run passes --budget seconds ends that shape's series (reported as such).

Ingest stages read bytes (kg.ingest.readers.read_bytes_as); extraction stages run the whole
extraction (kg.extract.extract_text) on text.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "corpus" / "kh-khcn-tayninh-2023.txt"
LINEAR = 2.3
LINE = "Căn cứ Quyết định số 01/QĐ-UBND ngày 07/01/2023 của UBND tỉnh về việc ban hành nhiệm vụ;"


# -- inputs: n is the size unit of each shape -----------------------------------------------------

def nested_html(n: int) -> bytes:
    return ("<html><body>" + "<div>" * n + f"<p>{LINE}</p>" * 20 + "</div>" * n + "</body></html>").encode()


def table_html(n: int) -> bytes:
    row = "<tr>" + "".join(f"<td>{i}. {LINE}</td>" for i in range(5)) + "</tr>"
    return f"<html><body><table>{row * n}</table></body></html>".encode()


def docx_bytes(n: int) -> bytes:
    import docx

    d = docx.Document()
    for i in range(n):
        d.add_paragraph(f"{i}. {LINE}")
    t = d.add_table(rows=max(1, n // 10), cols=3)
    for row in t.rows:
        for cell in row.cells:
            cell.text = LINE
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def repeated_cue(n: int) -> str:
    return "Quyết định số " * n


def bullets(n: int) -> str:
    return "II. NHIỆM VỤ\n" + "".join(f"- Triển khai nhiệm vụ {i} theo {LINE}\n" for i in range(n))


def one_line(n: int) -> str:
    return ("Triển khai thực hiện nhiệm vụ khoa học và công nghệ trên địa bàn tỉnh " * n).rstrip()


def headings(n: int) -> str:
    return "".join(f"Điều 5. Trách nhiệm thi hành\n{LINE}\n" for _ in range(n))


# Every mark the outline nests, outermost first: a block of these is as deep as a plan can go
# (about 20 levels); indentation does not nest units, the kind of mark does.
_DEEP = ["PHẦN {r}", "Chương {r}", "Mục {a}", "Điều {a}.", "{A}.", "{r}.", "{a}.1.", "{a}.1.1.", "{a}.1.1.1.",
         "{a}.", "({a})", "{l})", "-", "+", "•", "*", "·", "▪", "◦", "►", "➢", "✓"]


def nested_lists(n: int) -> str:
    """n blocks, each descending through every mark of _DEEP, indented two spaces per level."""
    out = ["KẾ HOẠCH\n"]
    for b in range(n):
        r, a, big, small = ("I", "II", "III", "IV", "V")[b % 5], b % 9 + 1, "ABCDE"[b % 5], "abcde"[b % 5]
        out.extend(f"{'  ' * d}{m.format(r=r, a=a, A=big, l=small)} Mục {d}: {LINE}\n" for d, m in enumerate(_DEEP))
    return "".join(out)


def indented_lines(n: int) -> str:
    """Each line indented two spaces more than the one before, up to n characters in all. Grown
    by its number of lines this input is quadratic in size (2,000 lines are 4 MB of spaces), so
    it is grown by characters here: the cost per character of long runs of indentation."""
    marks, out, size, i = "-+•*–", ["II. NHIỆM VỤ\n"], 0, 0
    while size < n:
        line = f"{'  ' * i}{marks[i % 5]} Mục {i}: {LINE}\n"
        out.append(line)
        size, i = size + len(line), i + 1
    return "".join(out)


def no_line_breaks(n: int) -> str:
    seed = SEED.read_text(encoding="utf-8").replace("\n", " ")
    return (seed * (n // len(seed) + 1))[:n]


# -- stages ---------------------------------------------------------------------------------------

def _ingest(make: Callable[[int], bytes], suffix: str):
    from kg.ingest.readers import read_bytes_as
    from kg.ingest.source import Limits

    limits = Limits(max_depth=10 ** 7)  # measure the walk, not the refusal

    def prepare(n: int):
        return make(n)

    def run(data) -> None:
        read_bytes_as(data, "bench" + suffix, suffix, limits)

    return prepare, run


def _extract(make: Callable[[int], str]):
    from kg.extract import extract_text

    return make, lambda text: extract_text(text)


STAGES = [  # name, kind, base size, unit, (prepare, run)
    ("nested <div> HTML", "ingest", 1000, "levels", lambda: _ingest(nested_html, ".html")),
    ("huge HTML table", "ingest", 1000, "rows", lambda: _ingest(table_html, ".html")),
    ("docx paragraphs and a table", "ingest", 1000, "paragraphs", lambda: _ingest(docx_bytes, ".docx")),
    ('repeated "Quyết định số "', "extract", 45_000, "repeats (14 chars)", lambda: _extract(repeated_cue)),
    ("bullets", "extract", 5_000, "bullets", lambda: _extract(bullets)),
    ("one line without a newline", "extract", 9_000, "repeats (70 chars)", lambda: _extract(one_line)),
    ('repeated headings "Điều 5."', "extract", 500, "headings", lambda: _extract(headings)),
    ("deeply nested lists", "extract", 100, "blocks of 22 levels", lambda: _extract(nested_lists)),
    ("indentation growing line by line", "extract", 100_000, "characters", lambda: _extract(indented_lines)),
    ("real text without line breaks", "extract", 32_000, "characters", lambda: _extract(no_line_breaks)),
]


def _time(run, data, repeat: int) -> float:
    import gc

    best = float("inf")
    for _ in range(repeat):
        gc.collect()  # the previous run's garbage is not this run's cost
        t = time.process_time()  # CPU seconds of this process: other work on the machine does not count
        run(data)
        best = min(best, time.process_time() - t)
        if best > 3:
            break
    return best


def measure(name: str, kind: str, base: int, unit: str, factory, scale: float, budget: float) -> dict:
    prepare, run = factory()
    run(prepare(max(1, int(base * scale) // 8)))  # warm: imports, caches, grammar tables
    sizes, seconds, note = [], [], None
    for k in (1, 2, 4, 8):
        n = max(1, int(base * scale * k))
        data = prepare(n)
        t = _time(run, data, repeat=3)
        sizes.append(n)
        seconds.append(round(t, 4))
        print(f"  {name}: {n} {unit}: {t:.3f} s", file=sys.stderr, flush=True)
        if t > budget and k < 8:
            note = f"stopped after {n} {unit}: {t:.0f} s is over the {budget:.0f} s budget"
            break
    return {"stage": name, "kind": kind, "unit": unit, **summarise(sizes, seconds, note)}


def summarise(sizes: list[int], seconds: list[float], note: str | None) -> dict:
    """Ratios per doubling, and their geometric mean over the series: one step can be off by the
    machine's noise (a cache, a frequency change), the whole 8x series much less."""
    ratios = [round(b / a, 2) if a > 0 else None for a, b in zip(seconds, seconds[1:])]
    steps = len(seconds) - 1
    mean = round((seconds[-1] / seconds[0]) ** (1 / steps), 2) if steps and seconds[0] > 0 else None
    return {"sizes": sizes, "seconds": seconds, "ratio_per_doubling": ratios,
            "max_ratio": max((r for r in ratios if r is not None), default=None), "mean_ratio": mean,
            "linear": mean is not None and mean <= LINEAR and note is None, "note": note}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "growth.json"))
    ap.add_argument("--scale", type=float, default=1.0, help="Multiply every base size.")
    ap.add_argument("--budget", type=float, default=60.0, help="Seconds after which a series stops.")
    ap.add_argument("--only", default=None, help="Only the stages whose name contains this.")
    args = ap.parse_args()
    t0 = time.perf_counter()
    results = []
    for name, kind, base, unit, factory in STAGES:
        if args.only and args.only.lower() not in name.lower():
            continue
        results.append(measure(name, kind, base, unit, factory, args.scale, args.budget))
    report = {
        "what": "cost ratio per doubling of each adversarial input (2 linear, 4 quadratic); linear <= 2.3",
        "python": platform.python_version(), "machine": platform.machine(),
        "total_seconds": round(time.perf_counter() - t0, 1), "stages": results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print_table(results)


def print_table(results: list[dict]) -> None:
    print("| stage | sizes | CPU seconds | ratio per doubling | mean | linear |", file=sys.stderr)
    print("|---|---|---|---|---|---|", file=sys.stderr)
    for r in results:
        print(f"| {r['stage']} ({r['kind']}) | {r['sizes'][0]:,}→{r['sizes'][-1]:,} {r['unit']} | "
              f"{' / '.join(f'{s:.2f}' for s in r['seconds'])} | {' / '.join(map(str, r['ratio_per_doubling']))} | "
              f"{r['mean_ratio']} | {'yes' if r['linear'] else '**no**'} |", file=sys.stderr)


if __name__ == "__main__":
    main()
