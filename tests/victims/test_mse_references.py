"""Every estimator against the published reference tables (Kosovo 1999; Madigan and York)."""

from __future__ import annotations

import numpy as np
import pytest

from dossier.victims import dga
from dossier.victims.capture import CaptureTable
from dossier.victims.mse import estimate

# Ball et al. (2002); the Kosovo Memory Book later counted about 10,401 killed.
KOSOVO = CaptureTable(("EXH", "ABA", "OSCE", "HRW"), {
    (1, 0, 0, 0): 1131, (0, 1, 0, 0): 845, (0, 0, 1, 0): 936, (0, 0, 0, 1): 306,
    (1, 1, 0, 0): 177, (1, 0, 1, 0): 228, (1, 0, 0, 1): 106, (0, 1, 1, 0): 217,
    (0, 1, 0, 1): 31, (0, 0, 1, 1): 123, (1, 1, 1, 0): 181, (1, 1, 0, 1): 18,
    (1, 0, 1, 1): 42, (0, 1, 1, 1): 32, (1, 1, 1, 1): 27})
KOSOVO_TRUTH = 10_401
# Madigan and York (1997), three lists, first list varying fastest.
MADIGAN_YORK = CaptureTable.from_vector(("A", "B", "C"), [0, 60, 49, 4, 247, 112, 142, 12])


def test_kosovo_table() -> None:
    assert KOSOVO.recorded == 4400


def test_kosovo_lcmcr_within_ten_percent() -> None:
    # The chain moves slowly on this table (a few dozen effective draws in 50,000 sweeps):
    # long enough a run that the estimate is the posterior's, not one stretch of the chain's.
    result = estimate(KOSOVO, "lcmcr", seed=4, iterations=150_000)
    assert abs(result.estimate / KOSOVO_TRUTH - 1) <= 0.10
    assert result.interval[0] <= KOSOVO_TRUTH <= result.interval[1]
    assert result.recorded == 4400 and result.unrecorded == result.estimate - 4400


def test_kosovo_loglinear_within_ten_percent_and_says_the_model_choice_matters() -> None:
    result = estimate(KOSOVO, "loglinear")
    assert abs(result.estimate / KOSOVO_TRUTH - 1) <= 0.10
    assert result.interval[0] <= KOSOVO_TRUTH <= result.interval[1]
    assert "[EXH:ABA:OSCE]" in result.model["formula"]
    assert any("choice of model matters" in w for w in result.warnings)


def test_kosovo_dga_interval_covers_the_count_though_its_estimate_is_high() -> None:
    # Averaging over decomposable graphs cannot express the three-way dependence the table
    # needs; its estimate is about 21% high, but its interval still holds the count.
    result = estimate(KOSOVO, "dga")
    assert result.interval[0] <= KOSOVO_TRUTH <= result.interval[1]
    assert 1.1 < result.estimate / KOSOVO_TRUTH < 1.3


def test_madigan_york_with_their_prior() -> None:
    prior = dga.negative_binomial_prior(13.14, 55.17)
    result = dga.posterior_n(MADIGAN_YORK, delta=1.0, log_prior=prior, max_unrecorded=300)
    n = MADIGAN_YORK.recorded + result.n0[1:]  # their range of n0 is 1..300
    p = result.posterior[1:] / result.posterior[1:].sum()
    bayes = (p / n).sum() / (p / n.astype(float) ** 2).sum()  # relative squared error loss
    assert round(bayes) == 731
    assert n[np.searchsorted(np.cumsum(p), 0.5)] == 731
    # Published mode 729; here 728, where the posterior is 0.2% above its value at 729.
    assert n[np.argmax(p)] in (728, 729)
    assert abs(p[n == 728][0] / p[n == 729][0] - 1) < 0.005


@pytest.mark.parametrize("method", ["lcmcr", "loglinear", "dga"])
def test_madigan_york_every_method(method: str) -> None:
    options = {"iterations": 20_000} if method == "lcmcr" else {}
    result = estimate(MADIGAN_YORK, method, seed=1, **options)
    assert 715 <= result.estimate <= 760
    assert result.interval[0] <= 731 <= result.interval[1]
