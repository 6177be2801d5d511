"""LCMCR: the latent class sampler against simulated populations of known size."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import betaln, gammaln

from dossier.victims.capture import CaptureTable
from dossier.victims.lcmcr import sample_lcmcr
from dossier.victims.loglinear import fit_model
from dossier.victims.mse import effective_draws, estimate


def latent_class_world(seed: int, total: int, probabilities: list[list[float]],
                       weights: list[float]) -> CaptureTable:
    rng = np.random.default_rng(seed)
    classes = rng.choice(len(weights), size=total, p=weights)
    captured = rng.random((total, len(probabilities[0]))) < np.asarray(probabilities)[classes]
    people = captured[captured.any(axis=1)].astype(int)
    return CaptureTable.from_histories([f"L{j}" for j in range(people.shape[1])],
                                       people.tolist())


def test_recovers_a_heterogeneous_population() -> None:
    # two kinds of people: most are hard to reach; the independence model would miss many
    table = latent_class_world(5, 4000, [[0.15, 0.1, 0.2, 0.12, 0.1],
                                         [0.6, 0.5, 0.55, 0.4, 0.5]], [0.7, 0.3])
    result = estimate(table, "lcmcr", seed=2, iterations=10_000)
    assert abs(result.estimate / 4000 - 1) < 0.08
    assert result.interval[0] <= 4000 <= result.interval[1]
    independence = fit_model(table, ())  # lists independent, people alike
    assert independence is not None
    assert table.recorded + independence.unrecorded < 3500


def test_homogeneous_population_is_estimated_tightly() -> None:
    table = latent_class_world(8, 3000, [[0.3, 0.4, 0.25, 0.35]], [1.0])
    result = estimate(table, "lcmcr", seed=3, iterations=6_000)
    assert abs(result.estimate / 3000 - 1) < 0.04
    assert result.interval[0] <= 3000 <= result.interval[1]
    assert result.interval[1] - result.interval[0] < 400


def test_the_same_seed_gives_the_same_draws() -> None:
    table = latent_class_world(1, 800, [[0.3, 0.4, 0.25]], [1.0])
    first = sample_lcmcr(table, iterations=600, seed=9)
    second = sample_lcmcr(table, iterations=600, seed=9)
    third = sample_lcmcr(table, iterations=600, seed=10)
    assert np.array_equal(first.draws, second.draws)
    assert not np.array_equal(first.draws, third.draws)
    assert first.draws.size == 600 - 600 // 5
    assert (first.draws >= table.recorded).all()


def test_burn_in_and_thinning() -> None:
    table = latent_class_world(1, 500, [[0.3, 0.4, 0.25]], [1.0])
    result = sample_lcmcr(table, iterations=1000, burn_in=100, thin=10, seed=1, classes=4)
    assert result.draws.size == 90 and result.classes == 4
    with pytest.raises(ValueError, match="burn_in"):
        sample_lcmcr(table, iterations=100, burn_in=100)


def test_one_class_matches_the_exact_posterior() -> None:
    # With one class the model is M_t (lists differ, people alike), whose posterior of N under
    # p(N) ∝ 1/N and Beta(1, 1) capture probabilities is a sum over N:
    # p(N | data) ∝ (1/N) · N!/(N - n)! · prod_j B(1 + n_j, 1 + N - n_j).
    table = latent_class_world(3, 1500, [[0.2, 0.3, 0.25, 0.15]], [1.0])
    n = table.recorded
    on_list = np.array(list(table.list_sizes().values()))
    total = np.arange(n, 6 * n, dtype=np.float64)
    log_post = (-np.log(total) + gammaln(total + 1) - gammaln(total - n + 1)
                + betaln(1 + on_list[None, :], 1 + total[:, None] - on_list[None, :]).sum(1))
    exact = np.exp(log_post - log_post.max())
    exact /= exact.sum()
    mean = float(exact @ total)
    sd = float(np.sqrt(exact @ (total - mean) ** 2))
    draws = sample_lcmcr(table, iterations=20_000, classes=1, seed=4).draws
    assert abs(draws.mean() - mean) < 0.1 * sd  # Monte Carlo error about 0.03 sd here
    assert abs(draws.std() / sd - 1) < 0.1


def test_effective_draws_of_an_ar1_series() -> None:
    # x_t = phi x_{t-1} + e_t has effective size n (1 - phi) / (1 + phi)
    rng = np.random.default_rng(0)
    for phi in (0.5, 0.9):
        noise = rng.normal(size=40_000)
        series = np.empty_like(noise)
        series[0] = noise[0]
        for t in range(1, noise.size):
            series[t] = phi * series[t - 1] + noise[t]
        expected = noise.size * (1 - phi) / (1 + phi)
        assert abs(effective_draws(series) / expected - 1) < 0.25  # its own sampling error


def test_effective_draws_of_independent_and_sticky_chains() -> None:
    rng = np.random.default_rng(0)
    independent = rng.normal(size=4000)
    assert effective_draws(independent) > 2500
    sticky = np.repeat(rng.normal(size=40), 100)
    assert effective_draws(sticky) < 200
