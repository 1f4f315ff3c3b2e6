"""Shared test fixtures: the read-only material in ../shared, the seed, and the gold files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis budgets: "ci" (the default) keeps the suite fast with a fixed number of examples and a
# fixed seed; "long" is the fuzz run: KG_HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py
# tests/test_fuzz_cli.py (about 100 times the examples; run it for hours by raising KG_FUZZ_EXAMPLES).
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "5000")), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("KG_HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "real"
SEED = ROOT / "corpus" / "kh-khcn-tayninh-2023.txt"
GOLD_SEED = SHARED / "gold" / "seed.json"
GOLD_REAL = ROOT / "tests" / "gold" / "real"


def need_shared(path: Path) -> Path:
    """Skip (with the reason) when ../shared is not beside the project."""
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is not beside the project")
    return path


@pytest.fixture(scope="session")
def seed_doc():
    import kg

    return kg.extract(SEED)


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads(need_shared(GOLD_SEED).read_text(encoding="utf-8"))


def graph_lines(dump: bytes) -> list[bytes]:
    """A store's N-Quads, sorted, but the build log's and its manifest entry's: the log records each
    build's own id and time, so two builds of the same files differ only there."""
    import hashlib

    from kg.graph.changes import LOG_GRAPH, LOG_SOURCE
    from kg.resolve.identity import BASE

    log = f"<{LOG_GRAPH}> .".encode()
    entry = f"<{BASE}/manifest/{hashlib.sha1(LOG_SOURCE.encode()).hexdigest()}> ".encode()
    return sorted(q for q in dump.splitlines() if not q.endswith(log) and not q.startswith(entry))
