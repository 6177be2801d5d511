"""LCMCR: Manrique-Vallier's Bayesian non-parametric latent class model for population size.

Manrique-Vallier, D. (2016). "Bayesian population size estimation using Dirichlet process
mixtures." Biometrics 72(4), 1246-1254.

The model: every person, recorded or not, belongs to one of K latent classes; within class k,
list j records a person with probability lambda[j, k], independently of the other lists. The
class weights pi follow a truncated stick-breaking (Dirichlet process) prior with concentration
alpha ~ Gamma(a, b); lambda[j, k] ~ Beta(1/2, 1/2); the population size N has the prior
p(N) ∝ 1/N. Heterogeneity of capture between people — the usual reason lists overlap more or
less than independence predicts — is absorbed by the classes.

The Gibbs sampler augments the data with the n0 people nobody recorded. People with the same
capture pattern are exchangeable, so instead of one class per person it draws, for each of the
2^J cells, how many of the cell's people fall in each class (one multinomial per cell); the
unrecorded people are the all-zero cell. Every step is then a few array operations over
(cells × classes), whatever the number of people.

One sweep:
  1. allocations: for each cell c, (m_c1..m_cK) ~ Multinomial(n_c, p(k | pattern c)),
     with n_0 = the current n0;
  2. lambda[j, k] ~ Beta(1/2 + recorded by j in class k, 1/2 + not recorded by j in class k);
  3. stick-breaking: V_k ~ Beta(1 + m_k, alpha + sum_{h>k} m_h), V_K = 1;
  4. alpha ~ Gamma(a + K - 1, rate b - sum_{k<K} log(1 - V_k));
  5. n0 ~ NegativeBinomial(n, 1 - pi0), pi0 = sum_k pi_k prod_j (1 - lambda[j, k]) — the
     probability of being on no list (the 1/N prior makes this conditional exact), computed
     from the lambda and pi drawn in this sweep.

The prior on the capture probabilities. Manrique-Vallier's package puts Beta(1, 1) on each;
Dossier puts Jeffreys' Beta(1/2, 1/2), which leaves more room for a class that every list
rarely reaches, the class whose size is the whole question. Measured with bench/bench_mse.py
(50,000 sweeps, 50 worlds each; the share of worlds whose 95% interval covers the truth;
bench/RESULTS.md, 2026-11-24):

| worlds | Beta(1, 1) | Beta(1/2, 1/2) |
|---|---|---|
| the demo's lists (`generate_lists`; `--seed 11`, `--seed 12`) | 0.88 | 0.98, 0.96 |
| latent classes, lists independent within a class | 0.70 | 0.88 |
| the same, one list feeding another | 0.70 | 0.84 |

Kosovo comes out at 9,961-10,644 across the bench's five seeds (10,139-10,376 before) and
Madigan and York's three lists at 732 (their Bayes estimate 731). The intervals are wider, as
the data allow, and the chain mixes more slowly on Kosovo (10 to 44 effective draws in the
bench's runs): estimate() warns, and more sweeps settle it.

Mixing. The chain moves N slowly where one large class of people hard to reach holds most of
the unrecorded: its observed members drift between classes a few at a time, and N wanders with
them (on Kosovo, medians of successive blocks of 1,000 sweeps range from 7,000 to 12,400). The
50,000 sweeps of the default give about 20 to 120 effective draws of N on Kosovo, depending on
the seed (mse.effective_draws, Geyer's initial positive sequence, checked on AR(1) series);
estimate() warns below 100. Collapsing lambda and pi out of the update of the unrecorded
people's classes, label-swapping moves on the stick-breaking order and 5 or 20 classes instead
of 10 were tried and did not change it; more sweeps do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dossier.victims.capture import CaptureTable, patterns

DEFAULT_CLASSES = 10
DEFAULT_ITERATIONS = 50_000
ALPHA_PRIOR = (0.25, 0.25)  # shape, rate of the Gamma prior on the concentration alpha
LAMBDA_PRIOR = (0.5, 0.5)  # Jeffreys' Beta prior on each capture probability

_TINY = 1e-300


@dataclass(frozen=True)
class LcmcrResult:
    draws: np.ndarray  # population size N, one per kept sweep
    classes: int
    iterations: int
    burn_in: int
    thin: int
    occupied_classes: float  # mean number of classes holding at least one person
    alpha: float  # posterior mean of the concentration


def sample_lcmcr(table: CaptureTable, *, iterations: int = DEFAULT_ITERATIONS,
                 burn_in: int | None = None, thin: int = 1, classes: int = DEFAULT_CLASSES,
                 seed: int | None = None,
                 alpha_prior: tuple[float, float] = ALPHA_PRIOR,
                 lambda_prior: tuple[float, float] = LAMBDA_PRIOR) -> LcmcrResult:
    """Run the Gibbs sampler: ``iterations`` sweeps in all, the first ``burn_in`` discarded
    (default a fifth), then every ``thin``-th kept."""
    if iterations < 2:
        raise ValueError("iterations must be at least 2")
    if classes < 1:
        raise ValueError("classes must be at least 1")
    burn = iterations // 5 if burn_in is None else burn_in
    if not 0 <= burn < iterations:
        raise ValueError("burn_in must be between 0 and iterations - 1")
    if thin < 1:
        raise ValueError("thin must be at least 1")
    rng = np.random.default_rng(seed)
    x = patterns(table.n_lists).astype(np.float64)  # (C, J)
    not_x = 1.0 - x
    cells = table.vector()  # (C,), cell 0 = the unrecorded
    recorded = int(cells.sum())
    a_alpha, b_alpha = alpha_prior
    a_lambda, b_lambda = lambda_prior
    k_count = classes

    lam = rng.uniform(0.2, 0.8, size=(table.n_lists, k_count))
    pi = np.full(k_count, 1.0 / k_count)
    alpha = 1.0
    n0 = recorded  # any start will do; the burn-in forgets it
    kept = np.empty((iterations - burn + thin - 1) // thin, dtype=np.int64)
    occupied = 0.0
    alpha_sum = 0.0
    stored = 0
    tail_sizes = np.empty(k_count)
    for sweep in range(iterations):
        # 1. how many of each cell's people fall in each class
        log_lam = np.log(np.maximum(lam, _TINY))
        log_not = np.log(np.maximum(1.0 - lam, _TINY))
        weights = np.exp(x @ log_lam + not_x @ log_not) * pi  # (C, K)
        cells[0] = n0
        weights /= weights.sum(axis=1, keepdims=True)
        allocation = rng.multinomial(cells, weights)  # (C, K)
        sizes = allocation.sum(axis=0)
        captured = x.T @ allocation  # (J, K)
        # 2. capture probabilities per list and class
        lam = rng.beta(a_lambda + captured, b_lambda + sizes - captured)
        # 3. stick-breaking weights
        tail_sizes[::-1] = np.cumsum(sizes[::-1])
        v = rng.beta(1.0 + sizes[:-1], alpha + tail_sizes[1:])
        v = np.minimum(v, 1.0 - 1e-12)
        log_rest = np.concatenate(([0.0], np.cumsum(np.log1p(-v))))
        pi = np.exp(log_rest) * np.append(v, 1.0)
        # 4. concentration
        alpha = rng.gamma(a_alpha + k_count - 1, 1.0 / (b_alpha - log_rest[-1]))
        # 5. the people nobody recorded, under the lambda and pi just drawn: a pi0 from the
        #    previous sweep's lambda is not a conditional of the posterior, and the chain it
        #    makes both mixes about three times slower and targets the wrong distribution
        pi0 = float(pi @ np.exp(np.log1p(-np.minimum(lam, 1.0 - 1e-12)).sum(axis=0)))
        n0 = int(rng.negative_binomial(recorded, max(1.0 - pi0, 1e-12)))
        if sweep >= burn and (sweep - burn) % thin == 0:
            kept[stored] = recorded + n0
            occupied += np.count_nonzero(sizes)
            alpha_sum += alpha
            stored += 1
    return LcmcrResult(draws=kept[:stored], classes=k_count, iterations=iterations,
                       burn_in=burn, thin=thin, occupied_classes=occupied / stored,
                       alpha=alpha_sum / stored)
