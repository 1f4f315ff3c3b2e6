"""The CI gate's decisions, fed the recorded figures and worse ones (benchmarks/gate.py)."""

from __future__ import annotations

import json

import pytest

from benchmarks import gate
from conftest import ROOT

RECORDED = {"citations_to_floor": 9.2, "full_to_floor": 30.7}
ACCURACY = {"numbered_f1": 0.962, "named_f1": 0.71, "header_date": 0.98}


@pytest.mark.parametrize("ratios, accuracy, failing", [
    ({"citations_to_floor": 9.2, "full_to_floor": 30.7}, ACCURACY, []),  # the recorded run itself
    ({"citations_to_floor": 10.5, "full_to_floor": 35.3}, ACCURACY, []),  # +14 %, +15 %: noise allowed
    ({"citations_to_floor": 2.3, "full_to_floor": 7.0}, {**ACCURACY, "named_f1": 0.8}, []),  # faster, better
    ({"citations_to_floor": 10.7, "full_to_floor": 30.7}, ACCURACY, ["citations_to_floor"]),  # +16 %
    ({"citations_to_floor": 9.2, "full_to_floor": 46.0}, ACCURACY, ["full_to_floor"]),
    ({"citations_to_floor": 9.2, "full_to_floor": 30.7}, {**ACCURACY, "numbered_f1": 0.955}, ["numbered_f1"]),
    ({"citations_to_floor": 9.2, "full_to_floor": 30.7}, {**ACCURACY, "numbered_f1": 0.9618}, []),  # rounding
    ({"citations_to_floor": 9.2, "full_to_floor": 30.7}, {"numbered_f1": 0.962, "named_f1": 0.71},
     ["header_date"]),  # a figure that vanished is a failure, not a pass
    ({"citations_to_floor": 20.0, "full_to_floor": 90.0}, {**ACCURACY, "header_date": 0.5},
     ["citations_to_floor", "full_to_floor", "header_date"]),
])
def test_gate(ratios, accuracy, failing):
    msgs = gate.check(ratios, RECORDED, accuracy, ACCURACY)
    assert [m.split()[0].rstrip(":") for m in msgs] == failing, msgs


def test_recorded_ratios_read_from_the_results_file():
    """Older results give MB/s only: the ratio is the floor's MB/s over the engine's."""
    old = {"rows": [{"input": "real corpus", "floor_MBps": 113.7, "citations_MBps": 12.4, "full_extract_MBps": 3.7}]}
    assert gate.recorded_ratios(old) == {"citations_to_floor": 9.17, "full_to_floor": 30.73}
    new = {"rows": [{**old["rows"][0], "citations_to_floor": 8.0, "full_to_floor": 25.0}]}
    assert gate.recorded_ratios(new) == {"citations_to_floor": 8.0, "full_to_floor": 25.0}
    real = json.loads((ROOT / "benchmarks" / "results" / "extract.json").read_text(encoding="utf-8"))
    assert set(gate.recorded_ratios(real)) == set(gate.RATIOS)
