"""Log-linear models: known closed forms, the references, and simulated lists with dependence."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dossier.demo.victims import generate_lists
from dossier.victims.capture import CaptureTable
from dossier.victims.loglinear import (
    HETEROGENEITY,
    fit_loglinear,
    fit_model,
    profile_interval,
    profile_log_likelihood,
)
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
    # averaged with [A][B][C][A:B][B:C], the models with a heterogeneity term and others:
    # wider, above all upwards, where the heterogeneity models put the people every list missed
    low, high = result.interval
    assert 680 < low < 731 < 800 < high < 850 and result.model["best_model_weight"] > 0.5
    assert result.model["heterogeneity"] is None


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


def test_people_unequally_visible_to_every_list_get_a_heterogeneity_term(tmp_path: Path) -> None:
    # A world of the demo: some detainees are more visible to every organisation than others
    # (their visibility, governorate, period and fate move all four lists together). The best
    # model without a heterogeneity term reads the people every list missed as good coverage.
    truth = generate_lists(tmp_path, victims=3000, lists=4, seed=22)
    table = CaptureTable(tuple(entry["name"] for entry in truth["lists"]),
                         {tuple(int(bit) for bit in pattern): count
                          for pattern, count in truth["capture_patterns"].items()
                          if "1" in pattern})
    result = fit_loglinear(table)
    plain = next(f for f in result.candidates if f.heterogeneity is None)
    plain_low, plain_high = profile_interval(table, plain)
    assert plain_high < truth["total"]  # 2,554 (2,458-2,658) for 3,000
    assert result.best.heterogeneity in HETEROGENEITY
    assert result.formula.endswith(f"[h:{result.best.heterogeneity}]")
    low, high = result.interval
    assert low <= truth["total"] <= high
    assert abs(table.recorded + result.best.unrecorded - truth["total"]) < 0.05 * truth["total"]


def test_a_heterogeneity_term_that_the_interactions_span_is_not_fitted_again() -> None:
    pairs = [(0, 1), (0, 2), (1, 2)]
    assert fit_model(MADIGAN_YORK, pairs) is not None
    # with three lists s²/2 is the sum of the two-way terms: the same model again
    assert fit_model(MADIGAN_YORK, pairs, heterogeneity="darroch") is None
    # two of the pairs and s²/2 span the same columns as all three: kept once, without h
    result = fit_loglinear(MADIGAN_YORK)
    fits = [(f.parameters, round(f.log_likelihood, 5), round(f.unrecorded))
            for f in result.candidates]
    assert len(fits) == len(set(fits))
    [every_pair] = [f for f in result.candidates if len(f.interactions) == 3
                    or (len(f.interactions) == 2 and f.heterogeneity == "darroch")]
    assert every_pair.heterogeneity is None
    weights = [m.weight for m in result.averaged]
    assert abs(sum(weights) - 1) < 1e-9


def test_people_more_alike_than_chance_get_no_heterogeneity_term() -> None:
    # far fewer people on two and three lists than independent lists would put there: the
    # heterogeneity coefficient comes out negative, which no heterogeneity of people explains
    table = CaptureTable(("A", "B", "C"), {(1, 0, 0): 300, (0, 1, 0): 300, (0, 0, 1): 300,
                                           (1, 1, 0): 20, (1, 0, 1): 20, (0, 1, 1): 20,
                                           (1, 1, 1): 1})
    assert fit_model(table, ()) is not None
    assert all(fit_model(table, (), heterogeneity=form) is None for form in HETEROGENEITY)
    assert fit_loglinear(table).best.heterogeneity is None
