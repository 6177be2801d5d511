"""`dossier.victims.mse.estimate`: one call, any method, the same result shape and honest limits."""

from __future__ import annotations

import json

import pytest

from dossier.victims.capture import CaptureTable
from dossier.victims.mse import CAVEATS, EstimationError, estimate

TABLE = CaptureTable.from_vector(("A", "B", "C"), [0, 60, 49, 4, 247, 112, 142, 12])


@pytest.mark.parametrize("method", ["lcmcr", "loglinear", "dga"])
def test_every_method_returns_the_same_shape(method: str) -> None:
    options = {"iterations": 2000} if method == "lcmcr" else {}
    result = estimate(TABLE, method, seed=5, **options)
    value = result.as_dict()
    assert {"estimate", "unrecorded", "interval", "method", "model", "recorded",
            "warnings"} <= set(value)
    assert value["method"] == method and value["recorded"] == 626
    assert value["unrecorded"] == value["estimate"] - 626
    low, high = value["interval"]
    assert 626 <= low <= value["estimate"] <= high
    json.dumps(value)  # plain JSON
    assert result.draws is not None and len(result.draws) == 4000


@pytest.mark.parametrize("method", ["lcmcr", "dga", "loglinear"])
def test_the_same_seed_gives_the_same_result(method: str) -> None:
    options = {"iterations": 1500} if method == "lcmcr" else {}
    first = estimate(TABLE, method, seed=7, **options)
    second = estimate(TABLE, method, seed=7, **options)
    assert first.as_dict() == second.as_dict()
    assert first.draws is not None and second.draws is not None
    assert (first.draws == second.draws).all()


def test_unknown_method_and_options_are_refused() -> None:
    with pytest.raises(EstimationError, match="unknown method 'chao'"):
        estimate(TABLE, "chao")
    with pytest.raises(EstimationError, match="loglinear does not take iterations"):
        estimate(TABLE, "loglinear", iterations=10)


def test_tables_that_cannot_support_an_estimate() -> None:
    disjoint = CaptureTable(("A", "B"), {(1, 0): 40, (0, 1): 30})
    with pytest.raises(EstimationError, match="no one is on two lists"):
        estimate(disjoint, "loglinear")
    empty_list = CaptureTable(("A", "B", "C"), {(1, 0, 0): 40, (1, 1, 0): 30, (0, 1, 0): 5})
    with pytest.raises(EstimationError, match="C record nobody"):
        estimate(empty_list, "dga")


def test_small_tables_are_warned_about() -> None:
    small = CaptureTable(("A", "B"), {(1, 0): 10, (0, 1): 12, (1, 1): 6})
    result = estimate(small, "loglinear")
    assert any("only 28 people recorded" in w for w in result.warnings)


def test_the_models_that_assume_everyone_as_visible_say_so_with_their_estimate() -> None:
    for method in ("loglinear", "dga"):
        [said] = [w for w in estimate(TABLE, method).warnings if "as likely to be recorded" in w]
        assert said.startswith(method) and "underestimates" in said and "lcmcr" in said
    assert not any("as likely to be recorded" in w
                   for w in estimate(TABLE, "lcmcr", seed=1, iterations=500).warnings)


def test_caveats_say_what_an_estimate_cannot_claim() -> None:
    text = " ".join(CAVEATS)
    assert "same population" in text and "period" in text
    assert "linked" in text
    assert "never about who they were" in text
