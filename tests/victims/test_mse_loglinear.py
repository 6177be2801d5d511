"""Log-linear models: known closed forms, the references, and simulated lists with dependence."""

from __future__ import annotations

import numpy as np

from dossier.victims.capture import CaptureTable
from dossier.victims.loglinear import fit_loglinear, fit_model, profile_log_likelihood
from dossier.victims.mse import estimate
from dossier.victims.references import KOSOVO

MADIGAN_YORK = CaptureTable.from_vector(("A", "B", "C"), [0, 60, 49, 4, 247, 112, 142, 12])


def test_two_lists_give_lincoln_petersen() -> None:
    table = CaptureTable(("A", "B"), {(1, 0): 300, (0, 1): 200, (1, 1): 100})
    result = fit_loglinear(table)
    assert result.formula == "[A][B]"
    # N = n_A · n_B / m = 400 · 300 / 100
    assert abs(table.recorded + result.best.unrecorded - 1200) < 0.5
    low, high = result.interval
    assert 1050 < low < 1200 < high < 1450


def test_profile_likelihood_peaks_at_the_estimate() -> None:
    fit = fit_model(MADIGAN_YORK, [(0, 1)])
    assert fit is not None
    at = profile_log_likelihood(MADIGAN_YORK, [(0, 1)], fit.unrecorded)
    assert at > profile_log_likelihood(MADIGAN_YORK, [(0, 1)], fit.unrecorded - 20)
    assert at > profile_log_likelihood(MADIGAN_YORK, [(0, 1)], fit.unrecorded + 20)


def test_madigan_york_table_chooses_the_dependence_of_the_first_two_lists() -> None:
    result = estimate(MADIGAN_YORK, "loglinear")
    assert result.model["formula"] == "[A][B][C][A:B]"
    assert round(result.estimate) == 731
    low, high = result.model["model_interval"]  # the chosen model's own profile interval
    assert 690 < low < 731 < high < 780
    low, high = result.interval  # averaged with [A][B][C] and others: a little wider
    assert 690 < low < 731 < high < 800 and result.model["best_model_weight"] > 0.5


def _dependent_world(seed: int, total: int) -> CaptureTable:
    rng = np.random.default_rng(seed)
    a = rng.random(total) < 0.3
    b = np.where(a, rng.random(total) < 0.6, rng.random(total) < 0.2)  # A sends people to B
    c = rng.random(total) < 0.35
    d = rng.random(total) < 0.25
    people = np.column_stack([a, b, c, d]).astype(int)
    return CaptureTable.from_histories(("A", "B", "C", "D"), people[people.any(axis=1)].tolist())


def test_finds_list_dependence_and_the_true_total() -> None:
    table = _dependent_world(3, 5000)
    result = estimate(table, "loglinear")
    assert "[A:B]" in result.model["formula"]
    assert abs(result.estimate - 5000) < 250
    assert result.interval[0] <= 5000 <= result.interval[1]
    independence = fit_model(table, ())
    assert independence is not None
    # ignoring the dependence underestimates: the positive overlap looks like good coverage
    assert table.recorded + independence.unrecorded < 4700


def test_terms_of_lists_sharing_nobody_are_left_out() -> None:
    table = CaptureTable(("A", "B", "C"), {(1, 0, 0): 50, (0, 1, 0): 40, (0, 0, 1): 30,
                                           (1, 0, 1): 10, (0, 1, 1): 8})
    result = estimate(table, "loglinear")
    assert "[A:B]" in result.model["left_out"]
    assert any("A and B share nobody" in w for w in result.warnings)


def test_interval_carries_the_uncertainty_of_the_model_choice() -> None:
    # On Kosovo three models are within one BIC unit of each other and estimate about 10,400,
    # 12,700 and 18,400: the chosen model's own interval (about 9,000-12,100) excludes the
    # other two, the averaged interval holds all of them.
    result = fit_loglinear(KOSOVO)
    estimates = [KOSOVO.recorded + m.fit.unrecorded for m in result.averaged]
    assert len(result.averaged) >= 3 and abs(sum(m.weight for m in result.averaged) - 1) < 1e-9
    assert result.averaged[0].fit == result.best and result.averaged[0].weight < 0.5
    low, high = result.interval
    assert all(low <= e <= high for e in estimates[:3])
    own_low, own_high = result.model_interval
    assert own_high < max(estimates[:3]) and high - low > 2 * (own_high - own_low)
    value = estimate(KOSOVO, "loglinear")
    assert value.interval == result.interval
    assert value.model["model_interval"] == [round(own_low), round(own_high)]


def test_one_clear_model_keeps_its_own_interval() -> None:
    table = _dependent_world(7, 4000)
    result = fit_loglinear(table)
    assert result.averaged[0].weight > 0.8
    low, high = result.interval
    own_low, own_high = result.model_interval
    assert abs(low / own_low - 1) < 0.01 and abs(high / own_high - 1) < 0.01
