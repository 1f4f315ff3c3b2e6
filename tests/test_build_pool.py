"""`kg build --workers N --progress`: every file goes through the workers, the progress line counts
them and the failure is named. (That one pool serves the whole build is how kg.graph.build._extract
reads stream_batch; this test does not count pools.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED


def test_progress_build_with_workers_extracts_every_file(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(10):  # ten different plans cut from the bundled one: each is a file of its own
        (docs / f"plan-{i}.txt").write_text("\n".join(lines[: 40 + 8 * i]) + "\n", encoding="utf-8")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(docs), "--store", str(tmp_path / "s"),
                        "--workers", "2", "--progress"], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 1, p.stderr  # the broken PDF fails; the ten plans are built
    assert "extracting 11 files: 10/11 (90%)" in p.stderr  # the broken PDF yields no graph
    assert "added 10" in p.stderr and "failed 1" in p.stderr
