"""Multiple systems estimation: how many people no list recorded, by one of three methods.

``estimate(table, method)`` runs one estimator on a capture table and returns an ``Estimate``:
the estimated total, the unrecorded, a 95% interval, the model details and warnings about the
table or the fit. ``CAVEATS`` says what any such estimate can and cannot claim; every report
prints it.

- ``lcmcr`` (default): Manrique-Vallier's latent class model (dossier.victims.lcmcr); the
  estimate is the posterior median, the interval the 2.5% and 97.5% posterior quantiles.
- ``loglinear``: the log-linear model chosen by BIC (dossier.victims.loglinear), with or without
  a term for people's heterogeneity; its maximum likelihood estimate, and the profile likelihood
  intervals of the models near the best averaged with their BIC weights (so that the interval
  carries the uncertainty of the model choice).
- ``dga``: Madigan and York's model averaging over decomposable graphs (dossier.victims.dga);
  posterior median and 2.5%/97.5% quantiles. The prior: p(N) ∝ 1/N and delta = 2^-J prior
  people per cell of the full table (one prior person spread over the 2^J cells, as the dga
  package recommends), so the prior weighs the same whatever the number of lists. Madigan and
  York's delta = 1 (their reference, reproduced with their prior in the tests) puts 2^J prior
  people into the table; measured on the demo's synthetic worlds it covered the truth less
  often (16 of 50 worlds against 22) and put Kosovo at 4,616, below the 4,400 recorded plus
  anyone unrecorded that every other method sees; it stays available as ``delta``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dossier.victims import dga, lcmcr, loglinear
from dossier.victims.capture import CaptureTable

METHODS = ("lcmcr", "loglinear", "dga")
DRAWS = 4000  # draws kept to combine strata (a sample from the posterior or an approximation)
MIN_RECORDED = 50

CAVEATS = (
    "The estimate counts people who could have been on the lists: the lists must cover the "
    "same population, place and period. A list that covers only part of it (one governorate, "
    "one year) makes the others' people look unrecorded, or hides them; estimate by stratum.",
    "It assumes the lists' records are linked correctly: a missed link adds a person, a wrong "
    "merge removes one, and either shifts the overlaps the estimate rests on.",
    "It assumes the population is closed over the period and that every person had some "
    "chance of being recorded. People no list could ever reach are not in the estimate.",
    "The interval is the uncertainty under the model; it does not cover a wrong model, wrong "
    "linkage or lists that cover different populations. Different methods disagreeing is a "
    "sign of that.",
    "An estimate is a statistical statement about a number of people, never about who they "
    "were; it cannot name or add any individual victim.",
)


# Said with every dga estimate: what the model cannot express (measured with
# bench/bench_mse.py --part demo; stratifying the demo's worlds by status did not help: dga
# 8 of 20)
DGA_ASSUMES = ("dga assumes that, apart from dependence between lists, everyone in the table "
               "was as likely to be recorded by each list; where some people were more visible "
               "to every list than others it underestimates and its interval is too narrow (on "
               "synthetic worlds like that it covered the true total in 22 of 50 of them; "
               "lcmcr, which models such differences, in 96-98%)")


# Said with every log-linear estimate (measured with bench/bench_mse.py --part demo and
# --part coverage)
LOGLINEAR_ASSUMES = ("loglinear assumes that people's unequal visibility to the lists, where there"
                     " is any, shows in the number of lists that recorded them in one of three "
                     "forms (Darroch's, Poisson or Gamma heterogeneity, chosen by the criterion), "
                     "and otherwise that everyone in the table was as likely to be recorded by "
                     "each list; where a group of people is hard for every list to reach in "
                     "another way it underestimates and its interval is too narrow (on synthetic "
                     "worlds with such a group it covered the true total in 30-32 of 50, on the "
                     "demo's worlds in 48 of 50; lcmcr in 42-44 and 48-49)")


class EstimationError(ValueError):
    """A table that cannot support an estimate; the message says why."""


@dataclass
class Estimate:
    estimate: float
    interval: tuple[float, float]
    method: str
    model: dict[str, Any]
    recorded: int
    warnings: list[str] = field(default_factory=list)
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def unrecorded(self) -> float:
        return self.estimate - self.recorded

    def as_dict(self) -> dict[str, Any]:
        return {"estimate": _whole(self.estimate), "unrecorded": _whole(self.unrecorded),
                "interval": [_whole(self.interval[0]), _whole(self.interval[1])],
                "recorded": self.recorded, "method": self.method, "model": self.model,
                "warnings": list(self.warnings)}


def _whole(value: float) -> int | None:
    return None if not math.isfinite(value) else int(round(value))


def table_warnings(table: CaptureTable) -> list[str]:
    """What about the table itself weakens any estimate from it."""
    found = []
    if table.recorded < MIN_RECORDED:
        found.append(f"only {table.recorded} people recorded: any estimate is very uncertain")
    for i, first in enumerate(table.lists):
        for second in table.lists[i + 1:]:
            if table.overlap(first, second) == 0:
                found.append(f"lists {first} and {second} share nobody: their dependence "
                             f"cannot be estimated (do they cover the same population?)")
    return found


def check_table(table: CaptureTable) -> None:
    empty = [name for name, size in table.list_sizes().items() if size == 0]
    if empty:
        raise EstimationError(f"list(s) {', '.join(empty)} record nobody in this table; "
                              f"leave them out")
    if not any(sum(pattern) >= 2 for pattern in table.counts):
        raise EstimationError("no one is on two lists or more: without overlaps there is "
                              "nothing to estimate from")


def estimate(table: CaptureTable, method: str = "lcmcr", seed: int | None = None,
             **options: Any) -> Estimate:
    """Estimate the total population from a capture table (see the module docstring)."""
    check_table(table)
    rng = np.random.default_rng(seed)
    if method == "lcmcr":
        result = _lcmcr(table, rng, options)
    elif method == "loglinear":
        result = _loglinear(table, rng, options)
    elif method == "dga":
        result = _dga(table, rng, options)
    else:
        raise EstimationError(f"unknown method '{method}' (one of {', '.join(METHODS)})")
    result.warnings[:0] = table_warnings(table)
    return result


def _options(options: dict[str, Any], allowed: set[str], method: str) -> None:
    unknown = set(options) - allowed
    if unknown:
        raise EstimationError(f"{method} does not take {', '.join(sorted(unknown))} "
                              f"(it takes {', '.join(sorted(allowed)) or 'no options'})")


def _lcmcr(table: CaptureTable, rng: np.random.Generator, options: dict[str, Any]) -> Estimate:
    _options(options, {"iterations", "burn_in", "thin", "classes"}, "lcmcr")
    settings = {key: value for key, value in options.items() if value is not None}
    sample = lcmcr.sample_lcmcr(table, seed=int(rng.integers(2**63)), **settings)
    draws = sample.draws
    low, high = np.quantile(draws, [0.025, 0.975])
    effective = effective_draws(draws)
    warnings = []
    if effective < 100:
        warnings.append(f"the sampler mixed slowly (about {effective:.0f} effective draws): "
                        f"run more iterations (--iterations) before relying on the interval")
    model = {"classes": sample.classes, "iterations": sample.iterations,
             "burn_in": sample.burn_in, "thin": sample.thin,
             "occupied_classes": round(sample.occupied_classes, 2),
             "alpha": round(sample.alpha, 3), "effective_draws": round(effective),
             "posterior_mean": round(float(draws.mean()), 1),
             "prior": f"N ~ 1/N; lambda ~ Beta({lcmcr.LAMBDA_PRIOR[0]:g}, "
                      f"{lcmcr.LAMBDA_PRIOR[1]:g}); alpha ~ Gamma({lcmcr.ALPHA_PRIOR[0]:g}, "
                      f"{lcmcr.ALPHA_PRIOR[1]:g})"}
    return Estimate(float(np.median(draws)), (float(low), float(high)), "lcmcr", model,
                    table.recorded, warnings, rng.choice(draws, DRAWS))


def _loglinear(table: CaptureTable, rng: np.random.Generator,
               options: dict[str, Any]) -> Estimate:
    _options(options, {"criterion"}, "loglinear")
    criterion = options.get("criterion") or "bic"
    try:
        result = loglinear.fit_loglinear(table, criterion)
    except ValueError as exc:
        raise EstimationError(str(exc)) from exc
    best = result.best
    total = table.recorded + best.unrecorded
    close = [f for f in result.candidates[1:] if f.criterion - best.criterion < 2.0]
    warnings = []
    spread = [table.recorded + f.unrecorded for f in close]
    if spread and (max(spread) > 1.1 * total or min(spread) < 0.9 * total):
        warnings.append(f"models almost as good by {criterion.upper()} estimate "
                        f"{min(spread):,.0f} to {max(spread):,.0f}: the choice of model "
                        f"matters more than the interval shows")
    low, high = result.interval
    if not math.isfinite(high):
        warnings.append("the upper end of the interval is unbounded")
    warnings.append(LOGLINEAR_ASSUMES)
    own_low, own_high = result.model_interval
    model = {"formula": result.formula, "criterion": criterion,
             "heterogeneity": best.heterogeneity,
             criterion: round(best.criterion, 2), "parameters": best.parameters,
             "models_fitted": len(result.candidates),
             "interval": f"profile likelihood (Cormack 1992) of the {len(result.averaged)} "
                         f"model(s) within {loglinear.AVERAGED_WITHIN:g} of the best "
                         f"{criterion.upper()}, averaged with weights exp(-Δ/2)",
             "model_interval": [_whole(own_low), _whole(own_high)],
             "best_model_weight": round(result.averaged[0].weight, 3),
             "averaged_median": _whole(loglinear.mixture_quantile(table.recorded,
                                                                  result.averaged, 0.5)),
             "competing": [{"formula": loglinear.formula(table.lists, f),
                            criterion: round(f.criterion, 2),
                            "estimate": round(table.recorded + f.unrecorded)}
                           for f in result.candidates[1:4]],
             "left_out": ["[" + ":".join(table.lists[j] for j in term) + "]"
                          for term in result.excluded_terms]}
    return Estimate(total, (low, high), "loglinear", model, table.recorded, warnings,
                    loglinear.mixture_draws(rng, table.recorded, result.averaged, DRAWS))


def _dga(table: CaptureTable, rng: np.random.Generator, options: dict[str, Any]) -> Estimate:
    _options(options, {"delta", "max_unrecorded", "prior"}, "dga")
    delta = options.get("delta") or 2.0 ** -table.n_lists
    prior = options.get("prior") or dga.inverse_prior
    try:
        result = dga.posterior_n(table, delta=delta, log_prior=prior,
                                 max_unrecorded=options.get("max_unrecorded"))
    except ValueError as exc:
        raise EstimationError(str(exc)) from exc
    total = table.recorded + result.n0
    probability = result.posterior
    warnings = []
    if result.truncated_mass > 1e-3:
        warnings.append("the posterior has not died out at the end of the range searched: "
                        "the upper end and the estimate are too low")
    warnings.append(DGA_ASSUMES)
    top = np.argsort(-result.graph_weights)[:3]
    bayes = float((probability / total).sum() / (probability / total.astype(float) ** 2).sum())
    model = {"delta": delta, "graphs": len(result.graphs),
             "prior": "N ~ 1/N" if prior is dga.inverse_prior else "given",
             "posterior_mean": round(float(probability @ total), 1),
             "posterior_mode": int(total[np.argmax(probability)]),
             "bayes_estimate": round(bayes, 1),
             "top_graphs": [{"graph": dga.graph_formula(result.graphs[i], table.lists),
                             "weight": round(float(result.graph_weights[i]), 4)} for i in top]}
    median = table.recorded + dga.quantile(result, 0.5)
    interval = (float(table.recorded + dga.quantile(result, 0.025)),
                float(table.recorded + dga.quantile(result, 0.975)))
    draws = rng.choice(total, DRAWS, p=probability / probability.sum())
    return Estimate(float(median), interval, "dga", model, table.recorded, warnings, draws)


def effective_draws(draws: np.ndarray) -> float:
    """Effective sample size of a chain (Geyer's initial positive sequence)."""
    x = np.asarray(draws, dtype=np.float64)
    n = x.size
    x = x - x.mean()
    variance = float(x @ x) / n
    if n < 4 or variance == 0:
        return float(n)
    spectrum = np.fft.rfft(x, 2 * n)
    autocov = np.fft.irfft(spectrum * np.conj(spectrum))[:n] / n
    rho = autocov / variance
    total = 0.0
    for lag in range(1, n - 1, 2):
        pair = rho[lag] + rho[lag + 1]
        if pair <= 0:
            break
        total += pair
    return n / (1.0 + 2.0 * total)
