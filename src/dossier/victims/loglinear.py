"""Log-linear models for multiple systems estimation, chosen by an information criterion.

The observed cells of the capture table are fitted with a Poisson GLM (statsmodels)

    log E[n_x] = u + sum_j u_j x_j + sum_{(j,k) in M} u_jk x_j x_k + sum_{(j,k,l) in M} …,

main effects for every list plus a chosen set M of two-way and three-way interactions (list
dependence), hierarchical (a three-way term only with its three two-way terms). The all-zero
cell, which nobody observes, is then estimated by exp(u). The models searched:

- three lists: every set of two-way terms (8 models);
- four lists: every hierarchical set of two- and three-way terms (the four-way term would
  leave the zero cell unidentified);
- five lists and more: every set of two-way terms (1,024 for five lists; from six lists a
  forward search), then three-way terms added one at a time while the criterion improves.

Each of those models is also fitted with one term for the heterogeneity of people, h(s) in the
number s of lists that recorded a person (Rivest and Baillargeon's Rcapture forms). If some
people are more visible to every list than others (a Rasch model, logit p_j = θ + β_j with θ
varying over people), log E[n_x] = u + sum_j β_j x_j + log γ(s): a convex function of s alone,
which each form guesses with one parameter:

- ``darroch``: s²/2, θ normally distributed (Darroch, Fienberg, Glonek and Junker 1993);
- ``poisson``: 2^s - 1 (Rivest and Lévesque 2001);
- ``gamma``: -log(1 + s/3.5) (Rivest and Lévesque 2001).

Its coefficient must be positive (a negative one describes people more alike than chance, not
heterogeneity); a term that the model's interactions already span is not fitted. Without these
terms the people who every list tends to miss look like good coverage, and on synthetic worlds
where people's visibility varied the interval covered the true total in 39 of 50 worlds; with
them, in 48 (bench/bench_mse.py --part demo).

The model with the lowest criterion is used:

- BIC = k log(n) - 2 log L with n the number of people recorded (the default: on tables of
  thousands of people AIC keeps terms that fit noise in small cells, and each spare
  interaction term multiplies the uncertainty of the extrapolated zero cell);
- AIC = 2k - 2 log L.

A term whose lists share nobody is left out (its parameter would be -inf).

The estimate is the chosen model's maximum likelihood estimate. Its own 95% interval is the
profile likelihood interval of Cormack (1992): for each candidate N the complete table (observed
cells and N - n people in the zero cell) is refitted under the model, giving the multinomial
profile log-likelihood l(N); the interval holds the N with 2·(max l - l(N)) <= 3.84.

That interval pretends the chosen model was known in advance. On tables where several models
fit almost as well and extrapolate differently, it is far too narrow (on synthetic worlds it
covered the true total in about one world in eight), so the reported interval averages over the
models instead (Buckland, Burnham and Augustin 1997): every model within ``AVERAGED_WITHIN`` of
the best criterion (at most ``AVERAGED_MODELS`` of them) gets the weight exp(-Δ/2) — with BIC,
an approximation of its posterior probability — and a distribution of its unrecorded count, a
log-normal on each side of its estimate whose 2.5% and 97.5% points are the ends of its profile
interval; the interval is the 2.5% and 97.5% points of the weighted mixture. When one model
dominates, this is that model's profile interval.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln, ndtr

from dossier.victims.capture import CaptureTable, patterns

CRITERIA = ("bic", "aic")
EXHAUSTIVE_LISTS = 5  # up to this many lists every set of two-way terms is fitted
CHI2_95 = 3.841458820694124  # the 0.95 quantile of chi-squared with one degree of freedom
Z_975 = 1.959963984540054
AVERAGED_WITHIN = 10.0  # criterion units: a model further from the best weighs under 0.7%
AVERAGED_MODELS = 20

# statsmodels also warns of "perfect separation" whenever the fit is exact (a saturated model),
# so a fit counts as failed on non-convergence or on a parameter running off to infinity.
_MAX_PARAMETER = 25.0
_UNFITTED = -1e30  # the profile log-likelihood where the complete table cannot be fitted

Term = tuple[int, ...]  # the lists (by position) of one interaction

# h(s), s the number of lists that recorded a person (see the module docstring)
HETEROGENEITY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "darroch": lambda s: s * s / 2.0,
    "poisson": lambda s: 2.0 ** s - 1.0,
    "gamma": lambda s: -np.log1p(s / 3.5),
}


@dataclass(frozen=True)
class LoglinearFit:
    interactions: tuple[Term, ...]
    unrecorded: float
    log_likelihood: float
    parameters: int
    criterion: float
    heterogeneity: str | None = None  # the name of its term h(s), if it has one


@dataclass(frozen=True)
class AveragedModel:
    """One model's part in the averaged interval."""

    fit: LoglinearFit
    weight: float  # exp(-Δcriterion/2), normalised over the averaged models
    interval: tuple[float, float]  # its own profile likelihood interval of N


@dataclass(frozen=True)
class LoglinearResult:
    best: LoglinearFit
    interval: tuple[float, float]  # of the total N, averaged over the models (see above)
    model_interval: tuple[float, float]  # the chosen model's own profile interval
    averaged: tuple[AveragedModel, ...]  # the models the interval averages over, best first
    criterion: str
    candidates: tuple[LoglinearFit, ...]  # every model that could be fitted, best first
    formula: str
    excluded_terms: tuple[Term, ...]  # interactions left out: their lists share nobody


def _design(n_lists: int, interactions: Sequence[Term],
            heterogeneity: str | None = None) -> np.ndarray:
    x = patterns(n_lists).astype(np.float64)
    columns = [np.ones(len(x)), *x.T, *(np.prod(x[:, list(term)], axis=1)
                                        for term in interactions)]
    if heterogeneity is not None:
        columns.append(HETEROGENEITY[heterogeneity](x.sum(axis=1)))
    return np.column_stack(columns)


def _fit(y: np.ndarray, design: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Poisson GLM; None when it does not converge to finite values."""
    import statsmodels.api as sm  # here: a second of import that `dossier serve` need not pay
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = sm.GLM(y, design, family=sm.families.Poisson()).fit()
            params = np.asarray(result.params, dtype=np.float64)
            llf = float(result.llf)
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return None
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        return None
    if not (np.all(np.abs(params) < _MAX_PARAMETER) and math.isfinite(llf)):
        return None
    return params, llf


def fit_model(table: CaptureTable, interactions: Sequence[Term], criterion: str = "bic",
              heterogeneity: str | None = None) -> LoglinearFit | None:
    """Fit one model on the observed cells; None when it cannot be fitted."""
    y = table.vector().astype(np.float64)[1:]
    design = _design(table.n_lists, interactions, heterogeneity)
    if design.shape[1] > len(y):
        return None  # more parameters than observed cells: the zero cell is not identified
    if heterogeneity is not None and np.linalg.matrix_rank(design[1:]) < design.shape[1]:
        return None  # the interactions already span h(s): the same model again
    fitted = _fit(y, design[1:])
    if fitted is None:
        return None
    params, llf = fitted
    if params[0] > math.log(1e4 * max(table.recorded, 1)):
        return None  # a zero cell ten thousand times the recorded: not an estimate
    if heterogeneity is not None and params[-1] <= 0:
        return None  # people more alike than chance: not a heterogeneity
    k = design.shape[1]
    penalty = 2.0 * k if criterion == "aic" else k * math.log(max(table.recorded, 2))
    return LoglinearFit(tuple(interactions), float(math.exp(params[0])), llf, k,
                        penalty - 2.0 * llf, heterogeneity)


def _shared(table: CaptureTable, term: Term) -> int:
    """People recorded by every list of the term."""
    return sum(count for pattern, count in table.counts.items()
               if all(pattern[j] for j in term))


def _terms(table: CaptureTable, order: int) -> tuple[list[Term], list[Term]]:
    usable: list[Term] = []
    excluded: list[Term] = []
    for term in combinations(range(table.n_lists), order):
        (usable if _shared(table, term) else excluded).append(term)
    return usable, excluded


def _hierarchical(terms: Sequence[Term]) -> bool:
    present = set(terms)
    return all(pair in present for term in terms if len(term) == 3
               for pair in combinations(term, 2))


def select_model(table: CaptureTable, criterion: str = "bic"
                 ) -> tuple[list[LoglinearFit], list[Term]]:
    """Every fitted candidate (best first) and the interactions left out."""
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {', '.join(CRITERIA)}")
    pairs, excluded = _terms(table, 2) if table.n_lists > 2 else ([], [])
    triples, excluded_triples = _terms(table, 3) if table.n_lists > 3 else ([], [])
    excluded += excluded_triples
    fits: dict[tuple[tuple[Term, ...], str | None], LoglinearFit] = {}
    forms: tuple[str | None, ...] = (None, *HETEROGENEITY)

    def consider(terms: Sequence[Term], heterogeneity: str | None) -> LoglinearFit | None:
        key = (tuple(terms), heterogeneity)
        if key not in fits:
            fit = fit_model(table, key[0], criterion, heterogeneity)
            if fit is None:
                return None
            fits[key] = fit
        return fits[key]

    if table.n_lists == 4:
        everything = pairs + triples
        for size in range(len(everything) + 1):
            for chosen in combinations(everything, size):
                if _hierarchical(chosen):
                    for form in forms:
                        consider(chosen, form)
    else:
        if table.n_lists <= EXHAUSTIVE_LISTS:
            for size in range(len(pairs) + 1):
                for chosen in combinations(pairs, size):
                    for form in forms:
                        consider(chosen, form)
        else:
            for form in forms:
                _forward(consider, (), pairs, form)
        if fits and triples:
            best = min(fits.values(), key=lambda f: f.criterion)
            _forward(consider, best.interactions, triples, best.heterogeneity)
    return _distinct(fits.values()), excluded


def _distinct(fits: Iterable[LoglinearFit]) -> list[LoglinearFit]:
    """The models, best first, less those that are another one reparametrised (a heterogeneity
    term and all but one of the two-way terms span the same columns as all of them): the same
    fit with as many parameters, which would count twice in the averaged interval. Of such a
    group the model without a heterogeneity term is kept."""
    groups: dict[tuple[int, float, float], LoglinearFit] = {}
    for fit in fits:
        key = (fit.parameters, round(fit.log_likelihood, 5),
               round(math.log(max(fit.unrecorded, 1e-9)), 5))
        if key not in groups or (groups[key].heterogeneity and not fit.heterogeneity):
            groups[key] = fit
    return sorted(groups.values(), key=lambda f: f.criterion)


def _forward(consider: Callable[[Sequence[Term], str | None], LoglinearFit | None],
             start: tuple[Term, ...], terms: Sequence[Term], form: str | None) -> None:
    """Add one term at a time (keeping the model hierarchical) while the criterion improves."""
    current = consider(start, form)
    while current is not None:
        trials = [consider((*current.interactions, term), form) for term in terms
                  if term not in current.interactions
                  and _hierarchical((*current.interactions, term))]
        better = [f for f in trials if f is not None and f.criterion < current.criterion]
        current = min(better, key=lambda f: f.criterion) if better else None


def profile_log_likelihood(table: CaptureTable, interactions: Sequence[Term],
                           unrecorded: float, heterogeneity: str | None = None) -> float:
    """The multinomial log-likelihood of N = recorded + unrecorded, maximised over the model's
    parameters (the Poisson fit of the complete table, plus log N! - N log N + N)."""
    y = table.vector().astype(np.float64)
    y[0] = unrecorded
    fitted = _fit(y, _design(table.n_lists, interactions, heterogeneity))
    if fitted is None:
        return -math.inf
    total = float(y.sum())
    return fitted[1] - total * math.log(total) + total + float(gammaln(total + 1))


def profile_interval(table: CaptureTable, fit: LoglinearFit) -> tuple[float, float]:
    """The 95% profile likelihood interval of the total N under one model."""
    def profile(n0: float) -> float:
        value = profile_log_likelihood(table, fit.interactions, n0, fit.heterogeneity)
        return max(value, _UNFITTED)  # finite, so that the searches below can compare it

    recorded = table.recorded
    top = max(fit.unrecorded * 2.0 + 10.0, 10.0)
    best = minimize_scalar(lambda n0: -profile(n0), bounds=(0.0, top), method="bounded",
                           options={"xatol": 1e-3})
    peak_n0 = float(best.x)
    peak = -float(best.fun)
    cut = peak - CHI2_95 / 2.0

    def gap(n0: float) -> float:
        return profile(n0) - cut

    lower = 0.0 if gap(0.0) >= 0 else brentq(gap, 0.0, peak_n0, xtol=1e-2)
    high = max(peak_n0 * 2.0, peak_n0 + 10.0)
    while gap(high) > 0:
        if high > 1e4 * max(recorded, 1):
            return recorded + lower, math.inf
        high *= 2.0
    upper = brentq(gap, peak_n0, high, xtol=1e-2)
    return recorded + lower, recorded + upper


def formula(lists: Sequence[str], fit: LoglinearFit) -> str:
    """The model in the usual bracket notation, e.g. [A][B][C][A:B], and its heterogeneity term
    as [h:darroch]."""
    mains = "".join(f"[{name}]" for name in lists)
    return (mains + "".join("[" + ":".join(lists[j] for j in term) + "]"
                            for term in fit.interactions)
            + (f"[h:{fit.heterogeneity}]" if fit.heterogeneity else ""))


def _split_log_normal(recorded: int, model: AveragedModel) -> tuple[float, float, float]:
    """Centre and the two scales, on log(unrecorded), of one model's distribution."""
    low, high = model.interval
    centre = math.log(max(model.fit.unrecorded, 0.5))
    below = max((centre - math.log(max(low - recorded, 0.5))) / Z_975, 0.0)
    above = ((math.log(max(high - recorded, 0.5)) - centre) / Z_975 if math.isfinite(high)
             else math.inf)
    return centre, below, max(above, 0.0)


def mixture_cdf(recorded: int, models: Sequence[AveragedModel], total: float) -> float:
    """P(N <= total) under the weighted mixture of the models' distributions."""
    value = math.log(max(total - recorded, 1e-9))
    probability = 0.0
    for model in models:
        centre, below, above = _split_log_normal(recorded, model)
        scale = below if value < centre else above
        if scale == 0.0:
            share = 1.0 if value >= centre else 0.0
        elif math.isinf(scale):
            share = 0.5
        else:
            share = float(ndtr((value - centre) / scale))
        probability += model.weight * share
    return probability


def mixture_draws(rng: np.random.Generator, recorded: int, models: Sequence[AveragedModel],
                  size: int) -> np.ndarray:
    """Draws of N from the weighted mixture (an unbounded side is given a log-scale of 2)."""
    chosen = rng.choice(len(models), size=size, p=[m.weight for m in models])
    z = rng.standard_normal(size)
    parts = [_split_log_normal(recorded, m) for m in models]
    centre = np.array([p[0] for p in parts])[chosen]
    below = np.array([p[1] for p in parts])[chosen]
    above = np.array([p[2] if math.isfinite(p[2]) else 2.0 for p in parts])[chosen]
    return np.asarray(recorded + np.exp(centre + z * np.where(z < 0, below, above)),
                      dtype=np.float64)


def averaged_interval(table: CaptureTable, fits: Sequence[LoglinearFit],
                      best_interval: tuple[float, float]
                      ) -> tuple[tuple[float, float], tuple[AveragedModel, ...]]:
    """The 95% interval of N averaged over the models near the best (see the module)."""
    near = [f for f in fits[:AVERAGED_MODELS]
            if f.criterion - fits[0].criterion <= AVERAGED_WITHIN]
    raw = np.exp(-(np.array([f.criterion for f in near]) - near[0].criterion) / 2.0)
    weights = raw / raw.sum()
    models = tuple(AveragedModel(f, float(w), best_interval if i == 0
                                 else profile_interval(table, f))
                   for i, (f, w) in enumerate(zip(near, weights, strict=True)))
    return (mixture_quantile(table.recorded, models, 0.025),
            mixture_quantile(table.recorded, models, 0.975)), models


def mixture_quantile(recorded: int, models: Sequence[AveragedModel], q: float) -> float:
    """The q-quantile of N under the weighted mixture (inf when it is beyond any bound)."""
    top = float(recorded) + 1.0
    while mixture_cdf(recorded, models, top) < q:
        if top > 1e4 * max(recorded, 1):
            return math.inf
        top = recorded + 2.0 * (top - recorded)
    if mixture_cdf(recorded, models, recorded + 1e-9) >= q:
        return float(recorded)
    return float(brentq(lambda n: mixture_cdf(recorded, models, n) - q,
                        recorded + 1e-9, top, xtol=1e-2))


def fit_loglinear(table: CaptureTable, criterion: str = "bic") -> LoglinearResult:
    fits, excluded = select_model(table, criterion)
    if not fits:
        raise ValueError("no log-linear model could be fitted to this table "
                         "(too few people in common between the lists)")
    best = fits[0]
    own = profile_interval(table, best)
    interval, averaged = averaged_interval(table, fits, own)
    return LoglinearResult(best=best, interval=interval, model_interval=own, averaged=averaged,
                           criterion=criterion, candidates=tuple(fits),
                           formula=formula(table.lists, best),
                           excluded_terms=tuple(excluded))
