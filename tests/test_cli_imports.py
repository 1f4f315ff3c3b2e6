"""A lookup at the prompt imports only what it needs: the modules it loads, asserted, not its time.

Each command runs as a real `python` process on a store built from the bundled corpus in a
temporary folder; the process writes the names in sys.modules at exit and the test checks that no
heavy package (numpy, spaCy, pyvis, pypdf, the page renderer, networkx, rdflib ...) is among them.
Time is measured in benchmarks/bench_cli.py, where noise can be handled; a set of modules is exact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED

# Not needed by a lookup, and each costs tens of milliseconds (or more) to import.
HEAVY = {"numpy", "scipy", "spacy", "thinc", "pyvis", "pypdf", "networkx", "rdflib", "pyshacl", "jinja2", "docx",
         "bs4", "lxml", "kg.viz.render", "kg.viz.model", "kg.extract", "kg.ingest.readers", "kg.analyze"}

_DUMP = ("import atexit, json, sys\n"
         "atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n'))\n")


def _modules(code: str, cwd: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", _DUMP + code], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=300)
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("MODULES ")]
    assert lines, p.stderr[-2000:]
    return set(json.loads(lines[-1][len("MODULES "):])), p


def _cli(args: list[str]) -> str:
    """Run `python -m kg.cli ARGS` inside this process, as runpy does for -m."""
    return f"import runpy, sys; sys.argv = ['kg', *{args!r}]; runpy.run_module('kg.cli', run_name='__main__')"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("imports")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEED), "--store", str(where / "store")],
                   cwd=where, env=env, check=True, capture_output=True, timeout=600)
    return where / "store"


def _heavy(mods: set[str]) -> set[str]:
    return {m for m in mods if m in HEAVY or m.split(".")[0] in HEAVY}


@pytest.mark.parametrize("args, expect", [
    (["--help"], "cites"),
    (["cites", "42/2022/NQ-HĐND"], "II.2.3"),
    (["cites", "Nghị quyết 42/2022"], "II.2.3"),
    (["deps", "II.2.3"], "42/2022/NQ-HĐND"),
    (["deps", "II.2.3", "--transitive", "--format", "json"], "42/2022/NQ-HĐND"),
    (["sparql", "list"], "cites"),
])
def test_lookup_imports_no_heavy_module(store: Path, args: list[str], expect: str) -> None:
    mods, p = _modules(_cli([*args, *(["--store", str(store)] if args[0] in ("cites", "deps", "sparql") else [])]),
                       store.parent)
    assert p.returncode == 0, p.stderr[-2000:]
    assert expect in p.stdout  # the lookup really answered
    assert "kg.cli" in mods and "click" in mods  # the dump saw the command's own imports
    assert _heavy(mods) == set()


def test_import_kg_is_light_and_extract_still_works(tmp_path: Path) -> None:
    """`import kg` loads nothing of the pipeline; `kg.extract` is still the function, after the
    subpackage of the same name is imported as well."""
    mods, p = _modules("import kg, kg.cli", tmp_path)
    assert p.returncode == 0, p.stderr
    assert _heavy(mods) == set()
    code = ("import kg, kg.extract.find\nfrom pathlib import Path\n"
            f"d = kg.extract(Path({str(SEED)!r}))\nprint(callable(kg.extract), len(d.citations) > 0, kg.Document)")
    _, p = _modules(code, tmp_path)
    assert p.stdout.split() == ["True", "True", "<class", "'kg.models.Document'>"], p.stderr[-2000:]


def test_the_heavy_set_is_detected(tmp_path: Path) -> None:
    """The check can fail: a command that draws the page does import the renderer and numpy."""
    mods, p = _modules("import kg.viz\nkg.viz.render_graph", tmp_path)
    assert p.returncode == 0, p.stderr
    assert {"numpy", "kg.viz.render"} <= _heavy(mods)
