"""LCMCR: the latent class sampler against simulated populations of known size."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_effective_draws_of_independent_and_sticky_chains() -> None:
    rng = np.random.default_rng(0)
    independent = rng.normal(size=4000)
    assert effective_draws(independent) > 2500
    sticky = np.repeat(rng.normal(size=40), 100)
    assert effective_draws(sticky) < 200
