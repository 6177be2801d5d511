"""Countries: the universal-jurisdiction rules as data, and recognising a country by name.

Each configured country has a YAML file (`cases/data/jurisdictions/<cc>.yaml`) with its names
in several languages and its grounds of jurisdiction over crimes committed abroad: universal
(with the suspect's presence or residence it requires), vicarious, active personality (the
suspect's nationality or residence) and passive personality (the victim's nationality). The
files are an indicative, simplified summary of public law, validated on first use like the
frameworks, and each ground names the frameworks it concerns, which must exist.

The same names let a registry place be read as a country: a place whose attributes say
``"country": "DE"``, or whose name is one of Germany's names in any language ("Allemagne",
"ألمانيا"); and a nationality claim be read as a code ("DE", "German", "allemande").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from dossier.cases.frameworks import Framework, frameworks
from dossier.registry.entities import Entity
from dossier.text import normalize
from dossier.yamlfile import read_yaml

__all__ = ["GROUND_TYPES", "REQUIREMENTS", "SUSPECT_LINKS", "Country", "Ground",
           "JurisdictionError", "countries", "country_code", "country_name", "load_countries",
           "place_country"]

GROUND_TYPES = ("universal", "vicarious", "active_personality", "passive_personality")
REQUIREMENTS = ("none", "presence", "residence", "habitual_residence")
SUSPECT_LINKS = ("nationality", "residence", "habitual_residence")
NAME_LANGUAGES = ("en", "fr", "de", "ar", "local")

_COUNTRY_FIELDS = ("code", "names", "aliases", "demonyms", "disclaimer", "grounds", "notes")
_COUNTRY_REQUIRED = ("code", "names", "disclaimer", "grounds")
_GROUND_FIELDS = ("id", "type", "title", "requires", "suspect_link", "double_criminality",
                  "discretion", "applies_to", "citation", "checks", "note")
_GROUND_REQUIRED = ("id", "type", "title", "requires", "double_criminality", "discretion",
                    "applies_to", "citation")

# Countries with no rules here whose names still matter: where suspects come from and pass
# through, so that a place or a nationality written in words is read as a code.
OTHER_COUNTRIES: dict[str, tuple[str, ...]] = {
    "SY": ("Syria", "Syrie", "Syrien", "سوريا", "سورية", "Syrian Arab Republic", "Syrian",
           "syrien", "syrienne", "syrisch", "سوري"),
    "LB": ("Lebanon", "Liban", "Libanon", "لبنان", "Lebanese", "libanais", "libanaise",
           "libanesisch", "لبناني", "لبنانية"),
    "TR": ("Turkey", "Türkiye", "Turquie", "Türkei", "تركيا", "Turkish", "turc", "turque",
           "türkisch", "تركي"),
    "JO": ("Jordan", "Jordanie", "Jordanien", "الأردن", "Jordanian", "jordanien", "أردني"),
    "IQ": ("Iraq", "Irak", "العراق", "Iraqi", "irakien", "irakienne", "irakisch", "عراقي"),
    "EG": ("Egypt", "Égypte", "Ägypten", "مصر", "Egyptian", "égyptien", "ägyptisch", "مصري"),
    "AE": ("United Arab Emirates", "Émirats arabes unis", "الإمارات", "UAE"),
    "RU": ("Russia", "Russie", "Russland", "روسيا", "Russian Federation", "Russian", "russe"),
    "GB": ("United Kingdom", "Royaume-Uni", "Vereinigtes Königreich", "المملكة المتحدة",
           "Great Britain", "British", "britannique"),
    "CH": ("Switzerland", "Suisse", "Schweiz", "سويسرا", "Swiss", "suisse"),
    "DK": ("Denmark", "Danemark", "Dänemark", "الدنمارك", "Danmark", "Danish", "danois"),
}


class JurisdictionError(ValueError):
    """A jurisdiction file that does not say what an assessment needs (naming the file and the
    field), or a suspect or date that cannot be assessed."""


@dataclass(frozen=True)
class Ground:
    """One ground of jurisdiction of one country, as its file states it."""

    id: str
    type: str  # GROUND_TYPES
    title: str
    requires: str  # REQUIREMENTS: what the suspect's whereabouts must show
    double_criminality: bool | None  # None: depends, or not settled here
    discretion: str
    applies_to: tuple[str, ...]  # ("all",) or framework ids, or "framework:offence"
    citation: str
    suspect_link: tuple[str, ...] = ()  # active personality: what ties the suspect
    checks: tuple[str, ...] = ()  # further conditions Dossier cannot check from the registry
    note: str = ""

    def concerns(self, framework: str, offence: str | None = None) -> bool:
        """Does this ground concern a charge under ``framework`` (and ``offence``)?"""
        return any(target == "all" or target == framework
                   or (offence is not None and target == f"{framework}:{offence}")
                   for target in self.applies_to)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title,
                "requires": self.requires, "suspect_link": list(self.suspect_link),
                "double_criminality": self.double_criminality, "discretion": self.discretion,
                "applies_to": list(self.applies_to), "citation": self.citation,
                "checks": list(self.checks), "note": self.note}


@dataclass(frozen=True)
class Country:
    code: str
    names: dict[str, str]  # NAME_LANGUAGES → name
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    disclaimer: str
    grounds: tuple[Ground, ...]
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names["en"]

    def spellings(self) -> tuple[str, ...]:
        """Every name, alias and demonym that designates this country."""
        return (*self.names.values(), *self.aliases, *self.demonyms)


# -- loading and validation --------------------------------------------------------------------

def _fail(file: str, where: str, message: str) -> JurisdictionError:
    return JurisdictionError(f"{file}: {where}: {message}")


def _text(file: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, where, f"expected a non-empty text, got {value!r}")
    return " ".join(value.split())


def _texts(file: str, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(file, where, "expected a list of texts")
    return tuple(_text(file, f"{where}[{i}]", item) for i, item in enumerate(value))


def _fields(file: str, where: str, value: Any, allowed: tuple[str, ...],
            required: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(file, where or "the file", "expected a mapping")
    prefix = f"{where}." if where else ""
    for key in value:
        if key not in allowed:
            raise _fail(file, f"{prefix}{key}", f"unknown field; the fields are "
                                                f"{', '.join(allowed)}")
    for key in required:
        if key not in value:
            raise _fail(file, f"{prefix}{key}", "missing")
    return value


def _one_of(file: str, where: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(file, where, f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _applies_to(file: str, where: str, value: Any, known: dict[str, Framework]
                ) -> tuple[str, ...]:
    if value == "all":
        return ("all",)
    if not isinstance(value, list) or not value:
        raise _fail(file, where, "expected `all` or a list of framework ids "
                                 "(or framework:offence)")
    for index, target in enumerate(value):
        framework_id, _, offence = str(target).partition(":")
        if framework_id not in known:
            raise _fail(file, f"{where}[{index}]", f"unknown framework {framework_id!r}; one "
                                                   f"of {', '.join(known)}")
        if offence and offence not in known[framework_id].offences:
            raise _fail(file, f"{where}[{index}]", f"framework {framework_id} has no offence "
                                                   f"{offence!r}")
    return tuple(str(target) for target in value)


def _ground(file: str, where: str, entry: Any, known: dict[str, Framework]) -> Ground:
    entry = _fields(file, where, entry, _GROUND_FIELDS, _GROUND_REQUIRED)
    kind = _one_of(file, f"{where}.type", entry["type"], GROUND_TYPES)
    links: tuple[str, ...] = ()
    if kind == "active_personality":
        value = entry.get("suspect_link")
        if not isinstance(value, list) or not value:
            raise _fail(file, f"{where}.suspect_link", "an active-personality ground needs a "
                        f"list of links, from {', '.join(SUSPECT_LINKS)}")
        links = tuple(_one_of(file, f"{where}.suspect_link[{i}]", link, SUSPECT_LINKS)
                      for i, link in enumerate(value))
    elif "suspect_link" in entry:
        raise _fail(file, f"{where}.suspect_link", "only an active-personality ground has one")
    double = entry["double_criminality"]
    if double is not None and not isinstance(double, bool):
        raise _fail(file, f"{where}.double_criminality", f"{double!r} is not true, false or "
                                                         "null")
    return Ground(
        id=_text(file, f"{where}.id", entry["id"]), type=kind,
        title=_text(file, f"{where}.title", entry["title"]),
        requires=_one_of(file, f"{where}.requires", entry["requires"], REQUIREMENTS),
        double_criminality=double,
        discretion=_text(file, f"{where}.discretion", entry["discretion"]),
        applies_to=_applies_to(file, f"{where}.applies_to", entry["applies_to"], known),
        citation=_text(file, f"{where}.citation", entry["citation"]), suspect_link=links,
        checks=_texts(file, f"{where}.checks", entry.get("checks")),
        note=_text(file, f"{where}.note", entry["note"]) if entry.get("note") else "")


def parse_country(file: str, data: Any, known: dict[str, Framework],
                  expected_code: str | None = None) -> Country:
    """A country's rules from the parsed YAML of ``file``; JurisdictionError names the file
    and the field."""
    data = _fields(file, "", data, _COUNTRY_FIELDS, _COUNTRY_REQUIRED)
    code = data["code"]
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
        raise _fail(file, "code", f"{code!r} is not a two-letter country code (quote NO)")
    if expected_code is not None and code != expected_code:
        raise _fail(file, "code", f"{code!r} is not the file's name {expected_code!r}")
    names = _fields(file, "names", data["names"], NAME_LANGUAGES, NAME_LANGUAGES)
    grounds = data["grounds"]
    if not isinstance(grounds, list) or not grounds:
        raise _fail(file, "grounds", "expected a non-empty list of grounds")
    parsed = tuple(_ground(file, f"grounds[{i}]", g, known) for i, g in enumerate(grounds))
    seen: set[str] = set()
    for index, ground in enumerate(parsed):
        if ground.id in seen:
            raise _fail(file, f"grounds[{index}].id", f"{ground.id!r} is used twice")
        seen.add(ground.id)
    return Country(code, {lang: _text(file, f"names.{lang}", names[lang])
                          for lang in NAME_LANGUAGES},
                   _texts(file, "aliases", data.get("aliases")),
                   _texts(file, "demonyms", data.get("demonyms")),
                   _text(file, "disclaimer", data["disclaimer"]), parsed,
                   _texts(file, "notes", data.get("notes")))


def _load_files(files: Iterable[Traversable | Path], known: dict[str, Framework]
                ) -> dict[str, Country]:
    found: dict[str, Country] = {}
    for file in sorted(files, key=lambda f: f.name):
        data = read_yaml(file.name, file.read_text("utf-8"), JurisdictionError)
        country = parse_country(file.name, data, known,
                                expected_code=file.name.removesuffix(".yaml").upper())
        found[country.code] = country
    return found


def load_countries(directory: Path | None = None,
                   known: dict[str, Framework] | None = None) -> dict[str, Country]:
    """Every country of ``directory`` (default: the shipped rules), read and validated now,
    their grounds checked against ``known`` frameworks (default: the shipped ones)."""
    known = frameworks() if known is None else known
    files: Sequence[Traversable | Path]
    if directory is None:
        folder = resources.files("dossier.cases").joinpath("data", "jurisdictions")
        files = [f for f in folder.iterdir()
                                           if f.name.endswith(".yaml")]
    else:
        if not directory.is_dir():
            raise JurisdictionError(f"{directory}: not a folder of jurisdiction files")
        files = sorted(directory.glob("*.yaml"))
    return _load_files(files, known)


@cache
def countries() -> dict[str, Country]:
    """The configured countries by code, loaded and validated once."""
    return load_countries()


# -- recognising countries -----------------------------------------------------------------------

def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", normalize(text)))


@cache
def _spellings() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, spellings in OTHER_COUNTRIES.items():
        for spelling in spellings:
            found[_key(spelling)] = code
    for country in countries().values():
        for spelling in country.spellings():
            found[_key(spelling)] = country.code
    return found


def country_code(text: str | None) -> str | None:
    """The ISO code a text designates: a code ("de", "DE"), or a country's name or demonym
    in any language it is known by ("Allemagne", "ألمانيا", "German"); None otherwise."""
    if not text or not text.strip():
        return None
    stripped = text.strip()
    if re.fullmatch(r"[A-Za-z]{2}", stripped):
        return stripped.upper()
    return _spellings().get(_key(stripped))


def country_name(code: str | None) -> str:
    """The English name of a country for display ("DE" → "Germany"), or the code itself."""
    if code is None:
        return "unknown country"
    if code in countries():
        return countries()[code].name
    other = OTHER_COUNTRIES.get(code)
    return other[0] if other else code


def place_country(place: Entity) -> str | None:
    """The country a registry place is in: its ``country`` attribute, or its own name."""
    attribute = place.attributes.get("country") if place.attributes else None
    if isinstance(attribute, str) and (code := country_code(attribute)):
        return code
    for name in (place.name, *(n.name for n in place.names)):
        code = country_code(name)
        if code is not None and not re.fullmatch(r"[A-Za-z]{2}", name.strip()):
            return code
    return None
