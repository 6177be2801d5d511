"""Estimates of the unrecorded victims from the linked lists, per stratum and in total.

A victim (a cluster of linked records, `victim_links`) is captured by a list when any of its
records comes from that list. Each victim gets one value per stratum variable by the rules of
`dossier.victims.stats` (year of death, else of arrest; the most frequent governorate, sex,
status among its records; age group from the age given or the years of birth and death), so
the strata here are the breakdowns of `dossier victims stats`.

Capture probabilities differ between places, periods and kinds of victims; estimating within
strata where they are more alike, and adding up, is what Ball et al. (2002) did for Kosovo.
A stratum is estimated on its own when it has at least ``min_records`` victims, at least two
lists recording someone in it and someone on two lists; a list recording nobody in a stratum is
left out of that stratum's table. Strata that fall short are pooled into one stratum named
"other", estimated if the pool is adequate and refused with the reason if not; the victims of a
refused stratum are still counted as documented.

The total is the sum of the strata's estimates (plus the documented victims of refused
strata); its interval comes from adding independent draws of each stratum's estimate (posterior
draws for lcmcr and dga; for loglinear, draws from the mixture of the models within 10 BIC
of the best, weighted as the interval is). The
unstratified estimate on all victims at once is given beside it: when the two disagree,
capture probabilities differ across strata and the stratified total is the better guide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection

from dossier.victims.capture import CaptureTable
from dossier.victims.mse import CAVEATS, Estimate, EstimationError, estimate
from dossier.victims.stats import linkage_state, recorded_victims, victim_values

STRATA = ("year", "governorate", "sex", "age_group", "status")
DEFAULT_MIN_RECORDS = 100
OTHER = "other"


@dataclass
class StratumEstimate:
    name: str  # "2012 / Homs", or "other"
    values: dict[str, str]  # stratum variable → value (empty for "other")
    recorded: int
    lists: tuple[str, ...]  # the lists in this stratum's table
    estimate: Estimate | None = None
    refused: str | None = None  # why no estimate was made
    pooled: list[str] = field(default_factory=list)  # strata pooled into "other"

    def as_dict(self) -> dict[str, Any]:
        return {"stratum": self.name, "values": self.values, "recorded": self.recorded,
                "lists": list(self.lists),
                "estimate": self.estimate.as_dict() if self.estimate else None,
                "refused": self.refused, "pooled": self.pooled}


@dataclass
class StrataReport:
    strata_by: list[str]
    method: str
    seed: int | None
    min_records: int
    strata: list[StratumEstimate]
    total: dict[str, Any]  # estimate, interval, recorded, documented_without_estimate
    unstratified: Estimate | None
    unstratified_refused: str | None
    notes: list[str] = field(default_factory=list)
    caveats: tuple[str, ...] = CAVEATS

    def as_dict(self) -> dict[str, Any]:
        return {"strata_by": self.strata_by, "method": self.method, "seed": self.seed,
                "min_records": self.min_records,
                "strata": [s.as_dict() for s in self.strata], "total": self.total,
                "unstratified": self.unstratified.as_dict() if self.unstratified else None,
                "unstratified_refused": self.unstratified_refused,
                "notes": self.notes, "caveats": list(self.caveats)}


@dataclass(frozen=True)
class Victim:
    """One documented victim as estimation sees it: the lists (by id) that record him or
    her and a value for each stratum variable."""

    lists: frozenset[int]
    values: dict[str, str]


def parse_strata(text: str | Sequence[str] | None) -> list[str]:
    """The stratum variables named in "year,governorate" (none when empty)."""
    if text is None:
        return []
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = [name.strip() for name in names if name.strip()]
    unknown = [name for name in chosen if name not in STRATA]
    if unknown:
        raise EstimationError(f"unknown stratum {', '.join(unknown)} "
                              f"(one of {', '.join(STRATA)})")
    return list(dict.fromkeys(chosen))


def _load(conn: Connection) -> tuple[list[tuple[int, str]], list[Victim], dict[str, Any]]:
    recorded = recorded_victims(conn)
    rank, clusters = recorded.rank, recorded.clusters
    victims = [Victim(frozenset(m.list_id for m in members), victim_values(members, rank))
               for members in clusters.values()]
    return ([(row.id, row.name) for row in recorded.lists], victims,
            linkage_state(conn, len(recorded.records), recorded.unlinked))


def _table(lists: Sequence[tuple[int, str]], victims: Sequence[Victim], name: str
           ) -> CaptureTable | str:
    """The capture table over the lists that record someone here, or why there is none."""
    used = [(list_id, list_name) for list_id, list_name in lists
            if any(list_id in v.lists for v in victims)]
    if len(used) < 2:
        return f"{len(used)} list(s) record anyone here: at least 2 are needed"
    histories = [[int(list_id in v.lists) for list_id, _ in used] for v in victims]
    table = CaptureTable.from_histories([n for _, n in used], histories, source=name)
    if not any(sum(pattern) >= 2 for pattern in table.counts):
        return "no one is on two lists or more: nothing to estimate from"
    return table


def victims_estimate(conn: Connection, strata: Sequence[str] | str | None = None,
                     method: str = "lcmcr", seed: int | None = None,
                     min_records: int = DEFAULT_MIN_RECORDS,
                     **options: Any) -> StrataReport:
    """Estimate the total number of victims per stratum and in all (see the module docstring).

    ``options`` go to the estimator (e.g. iterations for lcmcr)."""
    by = parse_strata(strata)  # a misspelt stratum is named before anything is read
    lists, victims, linkage = _load(conn)
    if not victims:
        raise EstimationError("no victim records: import lists with `dossier victims import`")
    if linkage["unlinked_records"] == len(victims):
        raise EstimationError("linkage has not been run: without linked records every overlap "
                              "between lists is missed; run `dossier victims link` first")
    report = estimate_strata(lists, victims, by, method, seed, min_records, **options)
    if linkage["note"]:
        report.notes.insert(0, linkage["note"])
    return report


def estimate_strata(lists: Sequence[tuple[int, str]], victims: Sequence[Victim],
                    strata: Sequence[str] | str | None = None, method: str = "lcmcr",
                    seed: int | None = None, min_records: int = DEFAULT_MIN_RECORDS,
                    **options: Any) -> StrataReport:
    """The estimate per stratum and in total for ``victims`` (their lists as ids into
    ``lists``, their values by stratum variable), wherever they come from."""
    by = parse_strata(strata)
    notes: list[str] = []
    seeds = iter(np.random.SeedSequence(seed).generate_state(10_000, dtype=np.uint32))

    def run(table: CaptureTable) -> Estimate:
        return estimate(table, method, seed=int(next(seeds)), **options)

    groups: dict[tuple[str, ...], list[Victim]] = {}
    for victim in victims if by else ():
        groups.setdefault(tuple(victim.values[name] for name in by), []).append(victim)
    results: list[StratumEstimate] = []
    pooled: list[Victim] = []
    pooled_names: list[str] = []
    for key in sorted(groups):
        members = groups[key]
        name = " / ".join(key)
        table = _table(lists, members, name)
        reason = table if isinstance(table, str) else None
        if reason is None and len(members) < min_records:
            reason = f"{len(members)} victims, fewer than {min_records}"
        if reason is not None or not isinstance(table, CaptureTable):
            pooled.extend(members)
            pooled_names.append(f"{name} ({reason})")
            continue
        stratum = StratumEstimate(name, dict(zip(by, key, strict=True)), len(members),
                                  table.lists)
        try:
            stratum.estimate = run(table)
        except EstimationError as exc:
            stratum.refused = str(exc)
        results.append(stratum)
    if pooled:
        other = StratumEstimate(OTHER, {}, len(pooled), (), pooled=pooled_names)
        table = _table(lists, pooled, OTHER)
        if isinstance(table, str):
            other.refused = f"the pooled small strata cannot be estimated: {table}"
        elif len(pooled) < min_records:
            other.lists = table.lists
            other.refused = (f"the pooled small strata hold {len(pooled)} victims, fewer "
                             f"than {min_records}")
        else:
            other.lists = table.lists
            try:
                other.estimate = run(table)
            except EstimationError as exc:
                other.refused = str(exc)
        results.append(other)
    overall_table = _table(lists, victims, "all")
    unstratified: Estimate | None = None
    unstratified_refused: str | None = None
    if isinstance(overall_table, str):
        unstratified_refused = overall_table
    else:
        try:
            unstratified = run(overall_table)
        except EstimationError as exc:
            unstratified_refused = str(exc)
    total = _total(results, unstratified, seed)
    if total.get("documented_without_estimate"):
        notes.append(f"{total['documented_without_estimate']:,} documented victims are in "
                     "strata without an estimate: they are in the total as recorded, and "
                     "the unrecorded among their like are not estimated")
    return StrataReport(by, method, seed, min_records, results, total, unstratified,
                        unstratified_refused, notes)


def _total(strata: list[StratumEstimate], unstratified: Estimate | None,
           seed: int | None) -> dict[str, Any]:
    """Sum of the strata's estimates; the interval by adding independent draws."""
    if not strata:
        if unstratified is None:
            return {"estimate": None, "interval": None, "recorded": None,
                    "documented_without_estimate": 0, "from": "none"}
        return {**{k: unstratified.as_dict()[k] for k in ("estimate", "interval", "recorded")},
                "documented_without_estimate": 0, "from": "unstratified"}
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    estimated = [s.estimate for s in strata if s.estimate is not None]
    without = sum(s.recorded for s in strata if s.estimate is None)
    recorded = sum(s.recorded for s in strata)
    if not estimated:
        return {"estimate": None, "interval": None, "recorded": recorded,
                "documented_without_estimate": without, "from": "strata"}
    sums = np.full(4000, float(without))
    for result in estimated:
        draws = result.draws if result.draws is not None else np.full(4000, result.estimate)
        sums += rng.permutation(np.resize(draws, 4000))
    low, high = np.quantile(sums, [0.025, 0.975])
    point = sum(r.estimate for r in estimated) + without
    return {"estimate": int(round(point)), "interval": [int(round(low)), int(round(high))],
            "recorded": recorded, "documented_without_estimate": without,
            "from": "sum of strata"}
