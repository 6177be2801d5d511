"""Bayesian model averaging over decomposable graphical models (Madigan and York, 1997).

Madigan, D. and York, J. C. (1997). "Bayesian methods for estimation of the size of a closed
population." Biometrika 84(1), 19-31.

Each model is a decomposable graph on the lists: an edge says two lists depend on each other
(given the rest), a missing edge that they are conditionally independent. The full table of
2^J cell probabilities gets a hyper-Dirichlet prior (Dawid and Lauritzen, 1993) built from one
Dirichlet over the full table with ``delta`` prior people in every cell, so a marginal cell over
a set A of lists has the prior count delta·2^(J-|A|). For a complete table n (the observed cells
and n0 people on no list, N = n + n0) and a graph with cliques C and separators S,

    p(n | N, G) = N! / prod_c n_c! · prod_C h(n_C) / prod_S h(n_S),
    h(n_A) = Γ(α_A·) / Γ(α_A· + N) · prod_a Γ(α_a + n_a) / Γ(α_a),

the Dirichlet moments of the marginal tables. With a prior p(N) and equal prior weight on
every decomposable graph, the joint posterior p(G, N | data) is computed exactly for each N
on a grid of n0 = 0, 1, 2, … and each graph, and the posterior of N is its sum over graphs.

All 8 graphs on 3 lists, 61 on 4 and 822 on 5 are decomposable candidates; only the marginal
tables of the 2^J subsets of lists are ever needed, so each is computed once per grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
from scipy.special import gammaln

from dossier.victims.capture import CaptureTable, patterns

MAX_LISTS = 5
DEFAULT_DELTA = 1.0

LogPrior = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Graph:
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]  # bit masks over the lists
    separators: tuple[int, ...]


@dataclass(frozen=True)
class DgaResult:
    n0: np.ndarray  # the grid of unrecorded counts
    posterior: np.ndarray  # p(N = recorded + n0 | data), summed over graphs
    graphs: tuple[Graph, ...]
    graph_weights: np.ndarray  # posterior probability of each graph
    truncated_mass: float  # an upper bound on the posterior mass beyond the grid's end


def inverse_prior(n: np.ndarray) -> np.ndarray:
    """log p(N) for p(N) ∝ 1/N, the default (as in the dga package and LCMCR)."""
    return np.asarray(-np.log(n), dtype=np.float64)


def negative_binomial_prior(a: float, b: float) -> LogPrior:
    """log p(N) for Madigan and York's gamma-Poisson prior with shape a and scale b
    (prior mean a·b)."""
    def log_prior(n: np.ndarray) -> np.ndarray:
        return np.asarray(n * np.log(b) - (n + a) * np.log1p(b) + gammaln(n + a)
                          - gammaln(n + 1) - gammaln(a), dtype=np.float64)
    return log_prior


@cache
def decomposable_graphs(n_lists: int) -> tuple[Graph, ...]:
    """Every decomposable (chordal) graph on ``n_lists`` vertices with its cliques and
    separators (a perfect sequence from maximum cardinality search)."""
    pairs = list(combinations(range(n_lists), 2))
    found = []
    for mask in range(2 ** len(pairs)):
        edges = tuple(pair for i, pair in enumerate(pairs) if mask >> i & 1)
        decomposition = _decompose(n_lists, edges)
        if decomposition is not None:
            found.append(Graph(edges, *decomposition))
    return tuple(found)


def _decompose(n: int, edges: tuple[tuple[int, int], ...]
               ) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    neighbours = [0] * n
    for a, b in edges:
        neighbours[a] |= 1 << b
        neighbours[b] |= 1 << a
    numbered = 0
    weights = [0] * n
    candidate_sets: list[int] = []
    for _ in range(n):
        vertex = max((v for v in range(n) if not numbered >> v & 1), key=lambda v: weights[v])
        earlier = neighbours[vertex] & numbered
        for u in range(n):  # the earlier neighbours must form a complete set
            if earlier >> u & 1 and (earlier & ~(1 << u)) & ~neighbours[u]:
                return None
        candidate_sets.append(earlier | 1 << vertex)
        numbered |= 1 << vertex
        for u in range(n):
            if neighbours[vertex] >> u & 1:
                weights[u] += 1
    cliques = [s for i, s in enumerate(candidate_sets)
               if not any(s & t == s and s != t for t in candidate_sets[i + 1:])]
    separators = []
    seen = 0
    for clique in cliques:
        if seen:
            separators.append(clique & seen)
        seen |= clique
    return tuple(cliques), tuple(separators)


def _marginal_terms(table: CaptureTable, n0: np.ndarray, delta: float) -> np.ndarray:
    """log h(n_A) for every subset A of the lists (rows, by bit mask) and every n0 (columns)."""
    n_lists = table.n_lists
    rows = patterns(n_lists)
    counts = table.vector().astype(np.float64)
    total = counts.sum() + n0
    prior_total = delta * 2**n_lists
    terms = np.empty((2**n_lists, n0.size))
    for subset in range(2**n_lists):
        members = [j for j in range(n_lists) if subset >> j & 1]
        prior_cell = delta * 2 ** (n_lists - len(members))
        keys = rows[:, members] @ (1 << np.arange(len(members))) if members else \
            np.zeros(len(rows), dtype=np.int64)
        marginal = np.bincount(keys, weights=counts, minlength=2 ** len(members))
        fixed = gammaln(prior_cell + marginal[1:]).sum() - (marginal.size - 1) * gammaln(
            prior_cell)
        zero_cell = gammaln(prior_cell + marginal[0] + n0) - gammaln(prior_cell)
        terms[subset] = (gammaln(prior_total) - gammaln(prior_total + total)
                         + fixed + zero_cell)
    return terms


def posterior_n(table: CaptureTable, *, delta: float = DEFAULT_DELTA,
                log_prior: LogPrior = inverse_prior, max_unrecorded: int | None = None,
                graph_prior: np.ndarray | None = None) -> DgaResult:
    """The posterior of N averaged over all decomposable graphs.

    The grid of n0 starts at 0 and grows (up to ``max_unrecorded`` when given, else up to
    200 times the recorded count) until the posterior beyond it is negligible.
    """
    if not 2 <= table.n_lists <= MAX_LISTS:
        raise ValueError(f"dga averages over decomposable graphs of 2 to {MAX_LISTS} lists; "
                         f"this table has {table.n_lists} (select or merge lists)")
    if delta <= 0:
        raise ValueError("delta must be positive")
    graphs = decomposable_graphs(table.n_lists)
    coefficients = np.zeros((len(graphs), 2**table.n_lists))
    for row, graph in enumerate(graphs):
        for clique in graph.cliques:
            coefficients[row, clique] += 1
        for separator in graph.separators:
            coefficients[row, separator] -= 1
    log_graph_prior = (np.zeros(len(graphs)) if graph_prior is None
                       else np.log(np.asarray(graph_prior, dtype=np.float64)))
    recorded = table.recorded
    limit = max_unrecorded if max_unrecorded is not None else 200 * max(recorded, 10)
    upper = min(limit, max(4 * recorded, 200))
    while True:
        n0 = np.arange(upper + 1, dtype=np.float64)
        n = recorded + n0
        common = log_prior(n) + gammaln(n + 1) - gammaln(n0 + 1)
        joint = coefficients @ _marginal_terms(table, n0, delta) + common \
            + log_graph_prior[:, None]
        joint -= joint.max()
        weights = np.exp(joint)
        weights /= weights.sum()
        posterior = weights.sum(axis=0)
        tail = _tail_bound(posterior)
        if tail < 1e-6 or upper >= limit:
            break
        upper = min(limit, upper * 4)
    return DgaResult(n0=n0.astype(np.int64), posterior=posterior, graphs=graphs,
                     graph_weights=weights.sum(axis=1), truncated_mass=tail)


def _tail_bound(posterior: np.ndarray) -> float:
    """The mass in the grid's last tenth: when it is small the posterior has died out."""
    return float(posterior[-max(1, posterior.size // 10):].sum())


def quantile(result: DgaResult, q: float) -> int:
    cumulative = np.cumsum(result.posterior)
    return int(result.n0[min(int(np.searchsorted(cumulative, q)), result.n0.size - 1)])


def graph_formula(graph: Graph, lists: tuple[str, ...]) -> str:
    """The graph as its cliques, e.g. [A B][C]."""
    return "".join("[" + " ".join(lists[j] for j in range(len(lists)) if clique >> j & 1) + "]"
                   for clique in graph.cliques)
