"""Shared test fixtures: the read-only material in ../shared, the seed, and the gold files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
