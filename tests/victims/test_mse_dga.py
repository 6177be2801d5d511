"""Madigan and York's model averaging over decomposable graphs."""

from __future__ import annotations

import numpy as np
import pytest

from dossier.victims import dga
from dossier.victims.capture import CaptureTable
from dossier.victims.mse import EstimationError, estimate


def test_counts_of_decomposable_graphs() -> None:
    # the numbers of labelled chordal graphs on 3, 4 and 5 vertices
    assert [len(dga.decomposable_graphs(n)) for n in (3, 4, 5)] == [8, 61, 822]
    four = {g.edges for g in dga.decomposable_graphs(4)}
    assert ((0, 1), (0, 3), (1, 2), (2, 3)) not in four  # the 4-cycle is not decomposable


def test_cliques_and_separators_of_a_chain() -> None:
    chain = next(g for g in dga.decomposable_graphs(3) if g.edges == ((0, 1), (1, 2)))
    assert sorted(chain.cliques) == [0b011, 0b110]
    assert chain.separators == (0b010,)
    assert dga.graph_formula(chain, ("A", "B", "C")) in ("[A B][B C]", "[B C][A B]")


def independent_world(seed: int, total: int, probabilities: list[float]) -> CaptureTable:
    rng = np.random.default_rng(seed)
    captured = rng.random((total, len(probabilities))) < np.asarray(probabilities)
    people = captured[captured.any(axis=1)].astype(int)
    return CaptureTable.from_histories([f"L{j}" for j in range(len(probabilities))],
                                       people.tolist())


@pytest.mark.parametrize(("seed", "probabilities"), [
    (1, [0.3, 0.25, 0.4]), (2, [0.2, 0.3, 0.25, 0.35]), (3, [0.2, 0.15, 0.3, 0.25, 0.2])])
def test_independent_lists_of_known_total(seed: int, probabilities: list[float]) -> None:
    table = independent_world(seed, 3000, probabilities)
    result = estimate(table, "dga")
    assert abs(result.estimate / 3000 - 1) < 0.06
    assert result.interval[0] <= 3000 <= result.interval[1]
    # the independence graph carries weight, the complete graph little
    weights = dict(zip((g.edges for g in dga.decomposable_graphs(len(probabilities))),
                       dga.posterior_n(table, delta=2.0 ** -len(probabilities)).graph_weights,
                       strict=True))
    assert weights[()] > 0.05


def test_posterior_is_a_distribution_over_a_grid_wide_enough() -> None:
    table = independent_world(4, 1000, [0.3, 0.3, 0.3])
    result = dga.posterior_n(table)
    assert abs(result.posterior.sum() - 1) < 1e-9
    assert result.truncated_mass < 1e-6
    assert result.n0[0] == 0


def test_more_than_five_lists_is_refused() -> None:
    people = [[1, 0, 0, 0, 0, 1], [1, 1, 0, 0, 0, 0], [0, 1, 1, 1, 1, 1]]
    table = CaptureTable.from_histories([f"L{j}" for j in range(6)], people)
    with pytest.raises(EstimationError, match="2 to 5 lists"):
        estimate(table, "dga")
