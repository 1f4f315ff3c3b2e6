"""Reading speed per format: how long files take to become text before the engine sees them.

    python benchmarks/bench_ingest.py [--docs 12] [--out benchmarks/results/ingest.json]

The first DOCS documents of ../shared/corpus/real (sorted by path) are written as .docx (python-docx),
.pdf (LibreOffice headless from that .docx, when `soffice` is on the machine), .html (a saved-page
shape) and in the legacy 8-bit fonts TCVN3 and VNI (kg's own tables, reversed), then read back with
`kg.ingest.read_source`. Reported: MB of resulting text per second, PDF pages per second, and
whether every identifier of the .txt survives the trip (the same check the tests make on the seed).
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "ingest.json"))
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skip: {CORPUS} is absent (../shared is not beside the project)")
        return 0
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    import docx
    import pypdf

    from kg.extract import extract_citations
    from kg.ingest import read_source
    from test_ingest import to_tcvn3, to_vni  # the tests' own converters: one implementation

    paths = sorted(CORPUS.rglob("*.txt"))[: args.docs]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files: dict[str, list[Path]] = {"txt": [], "docx": [], "html": [], "tcvn3": [], "vni": []}
        for stem, text in texts.items():
            d = docx.Document()
            for line in text.splitlines():
                d.add_paragraph(line)
            d.save(tmp / f"{stem}.docx")
            files["docx"].append(tmp / f"{stem}.docx")
            body = "".join(f"<p>{html.escape(ln)}</p>\n" for ln in text.splitlines())
            (tmp / f"{stem}.html").write_text(
                f"<!doctype html><html><head><meta charset='utf-8'><title>{stem}</title></head>"
                f"<body><nav>Trang chủ | Văn bản</nav><div class='content1'>{body}</div></body></html>",
                encoding="utf-8")
            files["html"].append(tmp / f"{stem}.html")
            (tmp / f"{stem}.txt").write_text(text, encoding="utf-8")
            files["txt"].append(tmp / f"{stem}.txt")
            (tmp / f"{stem}.tcvn3.txt").write_bytes(to_tcvn3(text))
            files["tcvn3"].append(tmp / f"{stem}.tcvn3.txt")
            (tmp / f"{stem}.vni.txt").write_bytes(to_vni(text))
            files["vni"].append(tmp / f"{stem}.vni.txt")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            (tmp / "pdf").mkdir()
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp / "pdf"),
                            *map(str, files["docx"])], check=True, capture_output=True, timeout=600)
            files["pdf"] = sorted((tmp / "pdf").glob("*.pdf"))

        want = {p.stem: {c.identifier for c in extract_citations(t).citations if c.identifier}
                for p, t in zip(paths, texts.values())}
        for fmt, fs in files.items():
            t0 = time.perf_counter()
            srcs = [read_source(f) for f in fs]
            secs = time.perf_counter() - t0
            mb = sum(len(s.text.encode("utf-8")) for s in srcs) / 1e6
            kept = 0
            total = 0
            for f, s in zip(fs, srcs):
                stem = f.name.split(".")[0]
                got = {c.identifier for c in extract_citations(s.text).citations if c.identifier}
                total += len(want[stem])
                kept += len(want[stem] & got)
            row = {"format": fmt, "files": len(fs), "text_MB": round(mb, 2), "seconds": round(secs, 3),
                   "MBps": round(mb / secs, 1), "identifiers_kept": f"{kept}/{total}"}
            if fmt == "pdf":
                pages = sum(len(pypdf.PdfReader(str(f)).pages) for f in fs)
                row["pages"] = pages
                row["pages_per_s"] = round(pages / secs, 1)
            rows.append(row)
    if not shutil.which("soffice") and not shutil.which("libreoffice"):
        print("note: LibreOffice is not installed: no PDF row (Debian package libreoffice-writer-nogui)")
    cols = ["format", "files", "text_MB", "seconds", "MBps", "pages_per_s", "identifiers_kept"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")
    out = {"python": platform.python_version(), "machine": platform.machine(), "docs": [p.name for p in paths],
           "rows": rows}
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
