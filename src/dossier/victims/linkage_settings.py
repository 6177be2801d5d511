"""What record linkage computes: the columns it derives, its comparisons and blocking rules.

This module says *what* is compared; `dossier.victims.linkage` says *where* it runs (DuckDB or
Spark). The same settings object drives both backends, so a model trained on one reads the same
on the other.

Every record becomes one row of derived columns (:func:`derive_row`):

- name parts (given, father, grandfather, family, mother) as Dossier's cross-script token keys
  (:func:`dossier.text.token_key`: "محمد", "Mohammad" and "Mohamed" are all "mhmd") and as
  compact romanised forms for Jaro-Winkler (typos, spellings the keys keep apart);
- sex; the year of birth, written or worked out from the age and the year of the death or arrest;
- the dates of arrest and death as the day (full dates only), the month and the year, because
  lists give dates to the day, the month or the year only;
- governorate and a place (detention, else death, else arrest place) as a compact key.

Blocking (:data:`BLOCKING_RULES`) keeps a pair when any rule holds; each rule pairs two name
keys, so one misspelt, missing or swapped part still leaves another rule to find the pair.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from dossier.text import normalize, parse_name, romanize, token_key
from dossier.text.romanize import compact_word

__all__ = [
    "BLOCKING_RULES",
    "DERIVED_COLUMNS",
    "LinkageSettings",
    "derive_row",
    "splink_settings",
]

NAME_PARTS = ("given", "father", "grandfather", "family", "mother")
SOURCE_COLUMNS = ("id", "list_id", "full_name", *NAME_PARTS, "sex", "age", "birth_date",
                  "arrest_date", "death_date", "arrest_place", "detention_place", "death_place",
                  "governorate")
"""The columns of ``victim_records`` that linkage reads."""

DERIVED_COLUMNS: dict[str, str] = {
    "unique_id": "int64", "list_id": "int64",
    **{f"{part}_key": "string" for part in NAME_PARTS},
    **{f"{part}_rom": "string" for part in NAME_PARTS},
    "given_family": "string", "given_father": "string", "name_set": "string",
    "name_keys": "list<string>",
    "sex": "string", "birth_date": "string", "birth_year": "int64",
    "arrest_day": "int64", "arrest_month": "string", "arrest_year": "int64",
    "death_day": "int64", "death_month": "string", "death_year": "int64",
    "governorate": "string", "place": "string",
}  # fmt: skip
"""Every column of the table the backends link, with its Arrow type."""

BlockingRule = tuple[str, ...] | str
"""Columns that must all be equal (``block_on``), or an SQL condition on ``l`` and ``r``."""

_SHIFTED = "l.father_key = r.given_key AND l.family_key = r.father_key"
"""The family name written first ("Hassan Jamil Ahmad" for Jamil Ahmad Hassan): every part
read one place further on."""

_SHIFTED_FURTHER = ("l.father_key = r.given_key AND l.grandfather_key = r.father_key "
                    "AND l.governorate = r.governorate")
"""The same with a grandfather: the last name read as the family name (and the same
governorate, as given and father names alone make blocks too large)."""


def _mirrored(rule: str) -> str:
    return rule.replace("l.", "x.").replace("r.", "l.").replace("x.", "r.")


BLOCKING_RULES: tuple[BlockingRule, ...] = (
    ("given_family",),  # given and family keys, in either order
    ("name_set",),  # the three names in any order
    ("given_father", "family_key"),  # the three names, given and father in either order
    ("given_key", "father_key", "birth_year"),  # family name misspelt or missing
    ("given_father", "governorate"),  # the same, when the age is a year off
    ("father_key", "family_key", "sex"),  # given name misspelt or missing
    ("family_key", "birth_year", "governorate"),  # given and father names off
    ("given_key", "birth_year", "governorate"),  # father and family names off
    # the same romanised spellings where the keys part ("Mundhir" / "منذر": ذ is "z" in the
    # Arabic key, "dh" in the Latin one)
    ("given_rom", "family_rom"),
    ("given_rom", "father_rom", "birth_year"),
    _SHIFTED,
    _mirrored(_SHIFTED),
    _SHIFTED_FURTHER,
    _mirrored(_SHIFTED_FURTHER),
)
"""A pair is compared when its records agree on every column of at least one rule."""

FIXED_M: dict[str, Any] = {
    "name_similar": (0.04, 0.03),  # a typo or an unusual spelling: key differs, letters alike
    "names_reordered": 0.05,  # swapped name parts (the lists' own error rate is about 5%)
    "name_elsewhere": 0.04,
    "name_other": 0.03,  # a misread, a nickname, a name the key and the letters both miss
    "birth_far": 0.03,  # birth years 2-3 apart: an age misread or guessed
    "birth_other": 0.01,
    "date_year": 0.03,  # a date off by up to a year
    "date_other": 0.01,
    "governorate_other": 0.02,
    "sex_other": 0.01,
}
"""m probabilities of the rare levels, set rather than trained (see `_fixed`)."""

EM_BLOCKING_RULES: tuple[BlockingRule, ...] = (
    ("given_key", "family_key"),  # trains everything but these two names
    ("death_day",),  # trains the names
)


@dataclass(frozen=True)
class LinkageSettings:
    """How a linkage run decides; stored with the run (``linkage_runs.settings``)."""

    threshold: float = 0.7
    """A pair at or above this match probability is judged "same" by the machine."""
    review_band: tuple[float, float] = (0.3, 0.9)
    """Pairs with a probability in [low, high) go to the review queue; those under the
    threshold are judged "unsure", the others "same"."""
    seed: int = 7
    u_max_pairs: float = 2e6
    """Random pairs drawn to estimate the u probabilities (how often non-matches agree)."""
    em_max_pairs: float = 5e5
    """At most this many blocked pairs per EM training session."""
    prior_recall: float = 0.8
    """Recall assumed of the deterministic rule that sets the prior match probability."""
    blocking_rules: tuple[BlockingRule, ...] = BLOCKING_RULES
    em_blocking_rules: tuple[BlockingRule, ...] = EM_BLOCKING_RULES
    name_thresholds: tuple[float, ...] = field(default=(0.92, 0.8))
    guard: bool = True
    """Refuse machine links that would join records contradicting each other into one victim
    (`dossier.victims.clusters.ClusterGuard`)."""
    guard_birth_years: int = 5
    """Records whose years of birth lie further apart than this are not one person."""
    guard_per_list: int = 2
    """A list holds one person at most this many times (its own duplicates)."""
    guard_sex: bool = False
    """Records that give different sexes are not one person."""

    def __post_init__(self) -> None:
        low, high = self.review_band
        if not 0 < self.threshold < 1:
            raise ValueError(f"the threshold must lie between 0 and 1, not {self.threshold}")
        if not 0 < low <= high <= 1:
            raise ValueError(f"the review band must be 0 < low <= high <= 1, not {low}, {high}")

    @property
    def lowest_kept(self) -> float:
        """The lowest probability a pair needs to be kept at all (linked or reviewed)."""
        return min(self.threshold, self.review_band[0])

    def as_dict(self) -> dict[str, Any]:
        value = asdict(self)
        value["review_band"] = list(self.review_band)
        value["blocking_rules"] = [rule if isinstance(rule, str) else list(rule)
                                   for rule in self.blocking_rules]
        value["em_blocking_rules"] = [rule if isinstance(rule, str) else list(rule)
                                      for rule in self.em_blocking_rules]
        value["name_thresholds"] = list(self.name_thresholds)
        return value


# -- deriving the columns -----------------------------------------------------------------------

_EPOCH = date(1970, 1, 1).toordinal()
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@lru_cache(maxsize=200_000)
def _name_forms(part: str) -> tuple[str | None, str | None]:
    """(token key, compact romanised form) of one name part; None for an empty one."""
    words = [word for word in part.split() if word]
    if not words:
        return None, None
    key = token_key(part) or None
    roman = compact_word(romanize(part)) or None
    return key, roman


def _date_parts(value: str | None) -> tuple[int | None, str | None, int | None]:
    """(days since 1970 for a full date, "YYYY-MM", year) of an ISO date, year or month."""
    if not value:
        return None, None, None
    found = _DATE.match(value.strip())
    if found is None:
        return None, None, None
    year, month, day = found.groups()
    days = None
    if day is not None:
        try:
            days = date(int(year), int(month), int(day)).toordinal() - _EPOCH
        except ValueError:
            days = None
    return days, f"{year}-{month}" if month else None, int(year)


_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=100_000)
def _place_key(place: str) -> str | None:
    """A place's number when it has one ("Branch 215", "الفرع ٢١٥" → "215"), as lists name the
    same branch in different languages; else its compact romanised form."""
    numbers = _DIGITS.findall(normalize(place))
    if numbers:
        return "#" + "-".join(numbers)
    return compact_word(romanize(place)) or None


def _pair(a: str | None, b: str | None) -> str | None:
    """Two keys in a fixed order, so that swapped name parts block together."""
    if a is None or b is None:
        return None
    return "|".join(sorted((a, b)))


def _parts_of(row: Mapping[str, Any]) -> dict[str, str | None]:
    parts: dict[str, str | None] = {part: row.get(part) or None for part in NAME_PARTS}
    full = row.get("full_name")
    if full and not (parts["given"] or parts["family"]):
        parsed = parse_name(full)
        parts["given"] = parsed.given
        parts["family"] = parsed.family
        if parsed.fathers:
            parts["father"] = parsed.fathers[0]
            if len(parsed.fathers) > 1:
                parts["grandfather"] = parsed.fathers[1]
    return parts


def derive_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The linkage columns (:data:`DERIVED_COLUMNS`) of one ``victim_records`` row."""
    out: dict[str, Any] = {"unique_id": row["id"], "list_id": row["list_id"]}
    for part, text in _parts_of(row).items():
        key, roman = _name_forms(text) if text else (None, None)
        out[f"{part}_key"], out[f"{part}_rom"] = key, roman
    out["given_family"] = _pair(out["given_key"], out["family_key"])
    out["given_father"] = _pair(out["given_key"], out["father_key"])
    three = sorted({out[f"{part}_key"] for part in ("given", "father", "family")} - {None})
    four = sorted({out[f"{part}_key"] for part in ("given", "father", "grandfather",
                                                   "family")} - {None})
    out["name_keys"] = four if len(four) >= 2 else None
    out["name_set"] = "|".join(three) if len(three) == 3 else None
    sex = (row.get("sex") or "").strip().lower()[:1]
    out["sex"] = sex if sex in ("m", "f") else None
    arrest = _date_parts(row.get("arrest_date"))
    death = _date_parts(row.get("death_date"))
    out["arrest_day"], out["arrest_month"], out["arrest_year"] = arrest
    out["death_day"], out["death_month"], out["death_year"] = death
    birth = _date_parts(row.get("birth_date"))
    out["birth_date"] = row["birth_date"] if birth[0] is not None else None
    birth_year = birth[2]
    age = row.get("age")
    event_year = death[2] or arrest[2]
    if birth_year is None and age is not None and event_year is not None:
        birth_year = event_year - int(age)
    out["birth_year"] = birth_year
    governorate = row.get("governorate")
    out["governorate"] = governorate.strip().lower() if governorate else None
    place = row.get("detention_place") or row.get("death_place") or row.get("arrest_place")
    out["place"] = _place_key(place) if place else None
    return out


# -- the Splink model ---------------------------------------------------------------------------


Comparison = tuple[str, list[Any]]
"""A comparison's output column and its levels, most alike first."""


def _fixed(level: Any, label: str, m: float) -> Any:
    """A level whose m probability is set, not trained: EM on the few matches that reach a
    rare level drives its m towards 0 (and so its weight towards minus infinity)."""
    return level.configure(label_for_charts=label, m_probability=m, fix_m_probability=True)


def _elsewhere(part: str) -> str:
    others = [other for other in ("given", "father", "family") if other != part]
    mine_l, mine_r = f"{part}_key_l", f"{part}_key_r"
    theirs_l = ", ".join(f"{other}_key_l" for other in others)
    theirs_r = ", ".join(f"{other}_key_r" for other in others)
    return f"({mine_l} IN ({theirs_r}) OR {mine_r} IN ({theirs_l}))"


def _name_comparison(part: str, thresholds: tuple[float, ...], tf: bool) -> Comparison:
    import splink.comparison_level_library as cll

    exact = cll.ExactMatchLevel(f"{part}_key", term_frequency_adjustments=tf)
    levels: list[Any] = [cll.NullLevel(f"{part}_key"),
                         exact.configure(label_for_charts=f"same {part} name key")]
    for threshold, m in zip(thresholds, FIXED_M["name_similar"], strict=False):
        levels.append(_fixed(cll.JaroWinklerLevel(f"{part}_rom", threshold),
                             f"{part} spelt alike (Jaro-Winkler >= {threshold})", m))
    if part == "given":
        # one record's names are all names of the other: parts swapped or left out. So are
        # a father's within his son's ("Ali son of Hasan" in "Omar son of Ali son of Hasan"):
        # the cluster guard refuses such a link, for the given names differ
        levels.append(_fixed(cll.ArraySubsetLevel("name_keys"),
                             "the same names in another order", FIXED_M["names_reordered"]))
    if part in ("given", "father", "family"):
        levels.append(_fixed(cll.CustomLevel(_elsewhere(part)),
                             f"{part} name found in another place", FIXED_M["name_elsewhere"]))
    levels.append(_fixed(cll.ElseLevel(), f"different {part} names", FIXED_M["name_other"]))
    return part, levels


def _exact_comparison(column: str, other_m: float | None = None) -> Comparison:
    import splink.comparison_level_library as cll

    other = cll.ElseLevel()
    if other_m is not None:
        other = _fixed(other, f"different {column}", other_m)
    return column, [cll.NullLevel(column), cll.ExactMatchLevel(column), other]


def _date_comparison(event: str) -> Comparison:
    import splink.comparison_level_library as cll

    day, month, year = f"{event}_day", f"{event}_month", f"{event}_year"
    return f"{event}_date", [
        cll.NullLevel(year),
        cll.ExactMatchLevel(day).configure(label_for_charts=f"same {event} day"),
        cll.AbsoluteDifferenceLevel(day, 31).configure(
            label_for_charts=f"{event} within a month"),
        cll.ExactMatchLevel(month).configure(label_for_charts=f"same {event} month"),
        cll.ExactMatchLevel(year).configure(label_for_charts=f"same {event} year"),
        _fixed(cll.AbsoluteDifferenceLevel(year, 1), f"{event} a year apart",
               FIXED_M["date_year"]),
        _fixed(cll.ElseLevel(), f"{event} further apart", FIXED_M["date_other"]),
    ]


def _birth_comparison() -> Comparison:
    import splink.comparison_level_library as cll

    return "birth", [
        cll.NullLevel("birth_year"),
        cll.ExactMatchLevel("birth_date").configure(label_for_charts="same birth date"),
        cll.ExactMatchLevel("birth_year").configure(label_for_charts="same birth year"),
        cll.AbsoluteDifferenceLevel("birth_year", 1).configure(
            label_for_charts="birth years one apart"),
        _fixed(cll.AbsoluteDifferenceLevel("birth_year", 3), "birth years up to three apart",
               FIXED_M["birth_far"]),
        _fixed(cll.ElseLevel(), "birth years further apart", FIXED_M["birth_other"]),
    ]


def _block(rule: BlockingRule) -> Any:
    from splink import block_on

    return rule if isinstance(rule, str) else block_on(*rule)


Parameters = dict[str, Any]
"""A trained model's numbers: {"prior": p, "levels": {comparison: [[m, u], ...]}} (non-null
levels, in order), as `trained_parameters` reads them from a Splink model."""


def trained_parameters(model: dict[str, Any]) -> Parameters:
    """The prior and the m and u probabilities of a trained Splink model (its JSON dict)."""
    levels: dict[str, list[list[float | None]]] = {}
    for comparison in model["comparisons"]:
        levels[comparison["output_column_name"]] = [
            [_number(level.get("m_probability")), _number(level.get("u_probability"))]
            for level in comparison["comparison_levels"] if not level.get("is_null_level")]
    return {"prior": model["probability_two_random_records_match"], "levels": levels}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _comparison(name: str, levels: list[Any], parameters: Parameters | None) -> Any:
    import splink.comparison_library as cl

    trained = (parameters or {}).get("levels", {}).get(name)
    if trained is not None:
        real = [level for level in levels if type(level).__name__ != "NullLevel"]
        for level, (m, u) in zip(real, trained, strict=True):
            if m is not None and u is not None:
                level.configure(m_probability=m, u_probability=u)
    return cl.CustomComparison(levels, output_column_name=name,
                               comparison_description=name.replace("_", " "))


def splink_settings(settings: LinkageSettings, parameters: Parameters | None = None) -> Any:
    """The Splink model (a ``SettingsCreator``) for ``settings``; built once, run anywhere.

    With ``parameters`` (`trained_parameters` of a model trained elsewhere, as on DuckDB for
    a Spark run) the model comes trained."""
    from splink import SettingsCreator

    thresholds = settings.name_thresholds
    comparisons: list[Comparison] = [
        _name_comparison("given", thresholds, tf=True),
        _name_comparison("father", thresholds, tf=True),
        _name_comparison("grandfather", thresholds, tf=False),
        _name_comparison("family", thresholds, tf=True),
        _name_comparison("mother", thresholds, tf=False),
        _exact_comparison("sex", FIXED_M["sex_other"]),
        _birth_comparison(),
        _date_comparison("arrest"),
        _date_comparison("death"),
        _exact_comparison("governorate", FIXED_M["governorate_other"]),
        _exact_comparison("place"),
    ]
    prior = (parameters or {}).get("prior", 0.0001)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[_comparison(name, levels, parameters) for name, levels in comparisons],
        probability_two_random_records_match=prior,
        blocking_rules_to_generate_predictions=[_block(rule) for rule in
                                                settings.blocking_rules],
        additional_columns_to_retain=["list_id"],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=10,
    )


def prior_rule() -> Any:
    """A rule that almost only true matches meet: sets the prior match probability."""
    return _block(("given_key", "father_key", "family_key", "birth_year"))


def em_rules(settings: LinkageSettings) -> list[Any]:
    return [_block(rule) for rule in settings.em_blocking_rules]
