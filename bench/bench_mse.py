"""Multiple systems estimation: LCMCR speed, coverage over synthetic worlds, reference tables.

    .venv/bin/python bench/bench_mse.py --worlds 50 --seed 11

1. Speed: the LCMCR Gibbs sampler (dossier.victims.lcmcr, which allocates the people of each
   capture cell to latent classes with one multinomial per cell) on a five-list table,
   10,000 sweeps (target <= 10 s), beside the same sampler written per individual — a class
   drawn for each of the N people every sweep, vectorised over people — run in the same process
   for fewer sweeps and scaled.
2. Coverage on the project's own synthetic worlds (the headline figure): victim lists written by
   `dossier.demo.victims.generate_lists` (3,000 detainees; 3, 4 or 5 lists by turns; seeds
   1..50; the generator as it is, with its coverage by governorate, period, perpetrator and fate,
   its visibility of people and its two lists sharing sources). The capture table is taken from
   the truth's capture patterns, i.e. with perfect linkage: this measures the estimators, not
   the linkage. For each method: the share of worlds whose 95% interval covers the true total.
3. Stress test: synthetic worlds with a known total N (1,000 to 8,000 people), 3 to 5 lists,
   heterogeneous capture (2 or 3 latent classes of people: each list records a person of the
   hard-to-reach class with probability 0.08-0.25, of the others 0.25-0.6). Two families of
   worlds: heterogeneity only (the lists independent within a class, as LCMCR assumes), and
   the same with direct dependence between two lists (a quarter of the people on one are
   passed to the other), which no method here models exactly. A class that no list reaches
   (probabilities of a few percent) leaves no trace in the overlaps and no method can see it,
   so such worlds are not drawn. For each method: the share of worlds whose 95% interval
   covers N (target >= 0.90) and the median relative error of the estimate.
4. References: Kosovo 1999 (four lists; Kosovo Memory Book ~10,401, Ball et al. 2002 10,356)
   and Madigan and York's three-list table (626 recorded; their Bayes estimate 731, mode 729).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from common import record  # noqa: E402

from dossier.demo.victims import generate_lists  # noqa: E402
from dossier.victims import dga  # noqa: E402
from dossier.victims.capture import CaptureTable, patterns  # noqa: E402
from dossier.victims.lcmcr import sample_lcmcr  # noqa: E402
from dossier.victims.mse import METHODS, estimate  # noqa: E402
from dossier.victims.references import (  # noqa: E402
    KOSOVO,
    MADIGAN_YORK,
    MADIGAN_YORK_FIVE,
    MADIGAN_YORK_FIVE_DELTA,
    MADIGAN_YORK_FIVE_GRAPHS,
    MADIGAN_YORK_FIVE_OFFSET,
    MADIGAN_YORK_FIVE_TOP,
)


def synthetic_world(rng: np.random.Generator, dependence: bool = False
                    ) -> tuple[CaptureTable, int, str]:
    """A population with latent classes of capture probability, and with ``dependence`` one
    list that passes people to another."""
    total = int(rng.integers(1000, 8001))
    n_lists = int(rng.integers(3, 6))
    n_classes = int(rng.integers(2, 4))
    weights = rng.dirichlet(np.full(n_classes, 2.0))
    probabilities = rng.uniform(0.25, 0.6, size=(n_classes, n_lists))
    probabilities[0] = rng.uniform(0.08, 0.25, size=n_lists)  # the hard to reach
    classes = rng.choice(n_classes, size=total, p=weights)
    captured = rng.random((total, n_lists)) < probabilities[classes]
    description = f"N={total}, {n_lists} lists, {n_classes} classes"
    if dependence:
        source, target = rng.choice(n_lists, size=2, replace=False)
        boost = rng.random(total) < 0.25
        captured[:, target] |= captured[:, source] & boost
        description += f", list {source} feeds list {target}"
    histories = captured[captured.any(axis=1)].astype(int)
    lists = [f"L{j + 1}" for j in range(n_lists)]
    return CaptureTable.from_histories(lists, histories.tolist()), total, description


def stress_worlds(seed: int, dependence: bool) -> Callable[[int], tuple[CaptureTable, int, str]]:
    """The stress family: one world after another from one random stream."""
    rng = np.random.default_rng(seed)
    return lambda _: synthetic_world(rng, dependence)


DEMO_VICTIMS = 3000
DEMO_LISTS = (3, 4, 5)


def demo_world(seed: int) -> tuple[CaptureTable, int, str]:
    """The capture table of one world of `generate_lists`, from its truth (perfect linkage)."""
    lists = DEMO_LISTS[seed % len(DEMO_LISTS)]
    with tempfile.TemporaryDirectory() as folder:
        truth = generate_lists(Path(folder), victims=DEMO_VICTIMS, lists=lists, seed=seed)
    names = [entry["name"] for entry in truth["lists"]]
    counts = {tuple(int(bit) for bit in pattern): count
              for pattern, count in truth["capture_patterns"].items() if "1" in pattern}
    table = CaptureTable(tuple(names), counts)
    assert table.recorded == truth["recorded"]
    return table, int(truth["total"]), f"seed {seed}, N={truth['total']}, {lists} lists"


def individual_sampler(table: CaptureTable, iterations: int, seed: int,
                       classes: int = 10) -> float:
    """The baseline: the same Gibbs sampler keeping one class per person. Returns seconds."""
    rng = np.random.default_rng(seed)
    x_cells = patterns(table.n_lists)
    counts = table.vector()
    observed = np.repeat(x_cells, counts, axis=0).astype(np.float64)  # one row per person
    recorded = observed.shape[0]
    lam = rng.uniform(0.2, 0.8, size=(table.n_lists, classes))
    pi = np.full(classes, 1.0 / classes)
    alpha, n0 = 1.0, recorded
    started = time.perf_counter()
    for _ in range(iterations):
        people = np.vstack([observed, np.zeros((n0, table.n_lists))])
        log_p = people @ np.log(lam) + (1 - people) @ np.log1p(-lam) + np.log(pi)
        p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
        cumulative = np.cumsum(p, axis=1)
        u = rng.random(len(people)) * cumulative[:, -1]
        z = np.minimum((cumulative < u[:, None]).sum(axis=1), classes - 1)
        sizes = np.bincount(z, minlength=classes)
        hits = np.stack([np.bincount(z, weights=people[:, j], minlength=classes)
                         for j in range(table.n_lists)])
        lam = rng.beta(1 + hits, 1 + sizes - hits)
        tails = np.cumsum(sizes[::-1])[::-1]
        v = np.minimum(rng.beta(1 + sizes[:-1], alpha + tails[1:]), 1 - 1e-12)
        rest = np.concatenate(([0.0], np.cumsum(np.log1p(-v))))
        pi = np.exp(rest) * np.append(v, 1.0)
        alpha = rng.gamma(0.25 + classes - 1, 1 / (0.25 - rest[-1]))
        pi0 = float(pi @ np.exp(np.log1p(-lam).sum(axis=0)))
        n0 = int(rng.negative_binomial(recorded, 1 - pi0))
    return time.perf_counter() - started


def speed(seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    while True:
        table, total, description = synthetic_world(rng)
        if table.n_lists == 5:
            break
    started = time.perf_counter()
    sample_lcmcr(table, iterations=10_000, seed=seed)
    ours = time.perf_counter() - started
    baseline_sweeps = 500
    baseline = individual_sampler(table, baseline_sweeps, seed) * 10_000 / baseline_sweeps
    return [f"- LCMCR, five lists ({description}, {table.recorded:,} recorded), 10,000 sweeps: "
            f"{ours:.2f} s (target <= 10 s)",
            f"- baseline, the same sampler per individual: {baseline:.1f} s for 10,000 sweeps "
            f"(scaled from {baseline_sweeps}); cells / individuals speed-up "
            f"{baseline / ours:.0f}x"]


def coverage(worlds: int, seed: int, iterations: int,
             world: Callable[[int], tuple[CaptureTable, int, str]], family: str) -> list[str]:
    hits: dict[str, list[bool]] = {m: [] for m in METHODS}
    errors: dict[str, list[float]] = {m: [] for m in METHODS}
    seconds: dict[str, float] = {m: 0.0 for m in METHODS}
    rows = []
    for number in range(worlds):
        table, total, description = world(number)
        cells = []
        for method in METHODS:
            options = {"iterations": iterations} if method == "lcmcr" else {}
            started = time.perf_counter()
            result = estimate(table, method, seed=seed + number, **options)
            seconds[method] += time.perf_counter() - started
            low, high = result.interval
            hits[method].append(low <= total <= high)
            errors[method].append(abs(result.estimate - total) / total)
            cells.append(f"{result.estimate:,.0f} [{low:,.0f}, {high:,.0f}]"
                         + ("" if low <= total <= high else " MISS"))
        rows.append(f"| {number + 1} | {description} | {table.recorded:,} | "
                    + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    lines = [f"- {worlds} {family}; lcmcr {iterations:,} sweeps", ""]
    lines.append("| method | 95% interval covers N | median relative error | seconds/world |")
    lines.append("|---|---|---|---|")
    for method in METHODS:
        lines.append(f"| {method} | {sum(hits[method]) / worlds:.2f} "
                     f"({sum(hits[method])}/{worlds}) | "
                     f"{statistics.median(errors[method]):.3f} | "
                     f"{seconds[method] / worlds:.2f} |")
    lines += ["", "<details><summary>every world</summary>", "",
              "| # | world | recorded | " + " | ".join(METHODS) + " |",
              "|---|---|---|" + "---|" * len(METHODS), *rows, "", "</details>"]
    return lines


def references(seed: int, iterations: int) -> list[str]:
    lines = ["| table | method | estimate | 95% interval | published |", "|---|---|---|---|---|"]
    for name, table, published in (
            ("Kosovo 1999, 4 lists, 4,400 recorded", KOSOVO,
             "Kosovo Memory Book ~10,401; Ball et al. (2002) 10,356"),
            ("Madigan-York 3 lists, 626 recorded", MADIGAN_YORK,
             "Madigan and York (1997): Bayes estimate 731, mode 729")):
        for method in METHODS:
            options = {"iterations": iterations} if method == "lcmcr" else {}
            result = estimate(table, method, seed=seed, **options)
            low, high = result.interval
            detail = ""
            if method == "lcmcr":
                detail = f" ({result.model['effective_draws']} effective draws)"
            elif method == "loglinear":
                own = result.model["model_interval"]
                detail = f" (chosen model alone: {own[0]:,} – {own[1]:,})"
            lines.append(f"| {name} | {method} | {result.estimate:,.0f} | "
                         f"{low:,.0f} – {high:,.0f}{detail} | {published} |")
    prior = dga.negative_binomial_prior(13.14, 55.17)
    posterior = dga.posterior_n(MADIGAN_YORK, delta=1.0, log_prior=prior, max_unrecorded=300)
    n = MADIGAN_YORK.recorded + posterior.n0[1:]
    p = posterior.posterior[1:] / posterior.posterior[1:].sum()
    bayes = (p / n).sum() / (p / n.astype(float) ** 2).sum()
    lines.append(f"| Madigan-York with their settings (delta = 1, gamma-Poisson prior a = 13.14, "
                 f"b = 55.17, n0 in 1..300) | dga | Bayes estimate (relative squared error "
                 f"loss) {bayes:.1f}, median {n[np.searchsorted(np.cumsum(p), 0.5)]}, mode "
                 f"{n[np.argmax(p)]} | | 731, mode 729 |")
    five = dga.posterior_n(MADIGAN_YORK_FIVE, delta=MADIGAN_YORK_FIVE_DELTA, max_unrecorded=300)
    likeliest = np.argsort(-five.graph_weights)[:5]
    with np.errstate(divide="ignore"):
        alone = dga.posterior_n(MADIGAN_YORK_FIVE, delta=MADIGAN_YORK_FIVE_DELTA,
                                max_unrecorded=300,
                                graph_prior=np.eye(len(five.graphs))[likeliest[0]])
    n = MADIGAN_YORK_FIVE.recorded + alone.n0[1:]
    p = alone.posterior[1:] / alone.posterior[1:].sum()
    bayes = (p / n).sum() / (p / n.astype(float) ** 2).sum()
    cumulative = np.cumsum(p)
    weights = ", ".join(f"{w:.8f}" for w in five.graph_weights[likeliest])
    published = ", ".join(f"{w:.8f}" for w in MADIGAN_YORK_FIVE_GRAPHS)
    top = MADIGAN_YORK_FIVE_TOP
    lines.append(
        f"| Madigan-York 5 lists, 537 recorded, as the dga package documents it (delta = "
        f"{MADIGAN_YORK_FIVE_DELTA}, p(N) ~ 1/N, n0 in 1..300) | dga | five likeliest graphs "
        f"{weights}; under the likeliest, Bayes estimate {bayes:.0f}, mode "
        f"{n[np.argmax(p)]} | {n[np.searchsorted(cumulative, 0.025)]} – "
        f"{n[np.searchsorted(cumulative, 0.975)]} | graphs {published}; Bayes estimate "
        f"{top['bayes']}, mode {top['mode']}, {top['interval'][0]} – {top['interval'][1]} "
        f"(N counted from 626 recorded: {MADIGAN_YORK_FIVE_OFFSET} more than these) |")
    for seed_k in range(seed, seed + 5):
        result_k = estimate(KOSOVO, "lcmcr", seed=seed_k, iterations=iterations)
        lines.append(f"| Kosovo, lcmcr seed {seed_k} | lcmcr | {result_k.estimate:,.0f} | "
                     f"{result_k.interval[0]:,.0f} – {result_k.interval[1]:,.0f} "
                     f"({result_k.model['effective_draws']} effective draws) | "
                     f"within 10% of 10,401: {abs(result_k.estimate / 10401 - 1) <= 0.1} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worlds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--iterations", type=int, default=50_000,
                        help="LCMCR sweeps for coverage and references (the default)")
    parser.add_argument("--part", choices=["all", "speed", "demo", "coverage", "references"],
                        default="all")
    parser.add_argument("--stress-iterations", type=int, default=None,
                        help="LCMCR sweeps in the stress families (default: --iterations)")
    args = parser.parse_args()
    stress = args.stress_iterations or args.iterations
    command = (f".venv/bin/python bench/bench_mse.py --worlds {args.worlds} --seed {args.seed} "
               f"--iterations {args.iterations} --stress-iterations {stress} --part {args.part}")
    lines: list[str] = []
    if args.part in ("all", "speed"):
        lines += ["### LCMCR speed", "", *speed(args.seed), ""]
    if args.part in ("all", "references"):
        lines += ["### Reference tables", "", *references(args.seed, args.iterations), ""]
    if args.part in ("all", "demo"):
        lines += ["### Coverage over the demo's synthetic worlds (headline)", "",
                  *coverage(args.worlds, args.seed, args.iterations,
                            lambda number: demo_world(number + 1),
                            f"worlds of dossier.demo.victims.generate_lists (seeds 1.."
                            f"{args.worlds}, {DEMO_VICTIMS:,} victims, {DEMO_LISTS} lists by "
                            f"turns; capture table from the truth: perfect linkage)"), ""]
    if args.part in ("all", "coverage"):
        for dependence in (False, True):
            family = "with direct list dependence" if dependence else "heterogeneity only"
            lines += ["### Stress test: coverage over harsh latent-class worlds", "",
                      *coverage(args.worlds, args.seed, stress,
                                stress_worlds(args.seed, dependence),
                                f"stress worlds, {family}, seed {args.seed}"), ""]
    record("Multiple systems estimation (issue 5)", command, lines)


if __name__ == "__main__":
    main()
