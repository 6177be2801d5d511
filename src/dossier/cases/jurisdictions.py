"""Where can he be tried: the grounds of jurisdiction a suspect's recorded whereabouts open.

The suspect's claims say where he lived and was (`resides_in`, `present_in`: a place, read as
a country by `countries.place_country`) and what nationality he has (`nationality`), each
over a valid time and with its sources. For each configured country, every ground of its
rules (`countries.py`) is weighed against them on a date: a presence or residence
requirement is met when a claim places him there on that day, the active-personality link
when he is a national (or resident), the passive one when a victim is a national. Every
condition names the claims that show it, so an investigator sees why.

Readings of time, stated once: an open end means "no end recorded"; an open-ended residence
lasts until the next recorded residence (an open-ended presence until the next recorded
whereabouts); a claim "within" a period (what a dated document proves) shows presence in
that period only. When the last record of him is such a claim in a country and nothing later
is recorded, the condition is unknown rather than met. All of it is indicative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select

from dossier.cases.countries import (
    Country,
    Ground,
    JurisdictionError,
    countries,
    country_code,
    place_country,
)
from dossier.registry.claims import ClaimSource, get_claims, list_claims
from dossier.registry.dates import DateError, bounds
from dossier.registry.entities import get_entities
from dossier.registry.lookup import EntityReferenceError, entity_by_reference
from dossier.store.schema import claims, entities
from dossier.workspace import utcnow

__all__ = ["DISCLAIMER", "Alert", "Assessment", "Condition", "CountryAssessment",
           "GroundAssessment", "JurisdictionError", "Whereabouts", "alerts", "assess"]

DISCLAIMER = ("Indicative and simplified, not legal advice: grounds of jurisdiction read from "
              "the registry's claims and a summary of public law; a lawyer must check every "
              "conclusion against the statutes and case law in force.")
LOCATION_PREDICATES = ("resides_in", "present_in")
STATUSES = ("accepted", "proposed")
_SATISFIES = {"presence": LOCATION_PREDICATES, "residence": ("resides_in",),
              "habitual_residence": ("resides_in",)}
_WORDS = {"presence": "present in", "residence": "resident in",
          "habitual_residence": "habitually resident in"}


@dataclass(frozen=True)
class Whereabouts:
    """A claim about where the suspect was, or of what nationality, as evidence."""

    claim_id: int
    predicate: str
    country: str | None
    place_id: int | None
    place: str | None  # the place's name, or the literal nationality
    valid_from: str | None
    valid_to: str | None
    precision: str
    status: str
    sources: tuple[ClaimSource, ...] = ()
    # the last day of an open end closed by the next recorded whereabouts (derived, not recorded)
    until_next: str | None = None

    @property
    def start(self) -> date | None:
        return bounds(self.valid_from)[0] if self.valid_from else None

    @property
    def end(self) -> date | None:
        last = self.valid_to or self.until_next
        return bounds(last)[1] if last else None

    def period(self) -> str:
        if self.valid_from is None and self.valid_to is None:
            return "undated"
        if self.precision == "within":
            return f"at least once between {self.valid_from or '?'} and {self.valid_to or '?'}"
        end = (self.valid_to or (f"{self.until_next} (the next record)" if self.until_next
                                 else "no end recorded"))
        return f"from {self.valid_from or '?'} to {end}"

    def describe(self) -> str:
        verb = {"resides_in": "resides in", "present_in": "present in",
                "nationality": "nationality"}.get(self.predicate, self.predicate)
        where = f"{self.place} ({self.country or 'country unknown'})"
        if self.country and (self.place or "").upper() == self.country:
            where = self.country
        return f"claim #{self.claim_id}: {verb} {where}, {self.period()} ({self.status})"

    def as_dict(self) -> dict[str, Any]:
        return {"claim": self.claim_id, "predicate": self.predicate, "country": self.country,
                "place_id": self.place_id, "place": self.place, "valid_from": self.valid_from,
                "valid_to": self.valid_to, "until_next": self.until_next,
                "precision": self.precision, "status": self.status,
                "period": self.period(), "sources": [s.as_dict() for s in self.sources]}


@dataclass(frozen=True)
class Condition:
    text: str
    met: bool | None  # None: the records do not say
    basis: str
    claims: tuple[Whereabouts, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"condition": self.text, "met": self.met, "basis": self.basis,
                "claims": [c.as_dict() for c in self.claims]}


@dataclass(frozen=True)
class GroundAssessment:
    ground: Ground
    status: str  # may_apply | not_met | unknown
    conditions: tuple[Condition, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**self.ground.as_dict(), "status": self.status,
                "conditions": [c.as_dict() for c in self.conditions],
                "to_check": list(self.ground.checks)}


@dataclass(frozen=True)
class CountryAssessment:
    country: Country
    grounds: tuple[GroundAssessment, ...]
    recorded: tuple[Whereabouts, ...]  # every recorded whereabouts in this country

    @property
    def may_apply(self) -> tuple[str, ...]:
        return tuple(g.ground.id for g in self.grounds if g.status == "may_apply")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.country.code, "name": self.country.name,
                "may_apply": list(self.may_apply), "disclaimer": self.country.disclaimer,
                "notes": list(self.country.notes),
                "recorded": [w.as_dict() for w in self.recorded],
                "grounds": [g.as_dict() for g in self.grounds]}


@dataclass(frozen=True)
class Assessment:
    suspect_id: int
    suspect_name: str
    on: str
    nationalities: tuple[Whereabouts, ...]
    victim_nationalities: tuple[str, ...]
    whereabouts: tuple[Whereabouts, ...]
    countries: tuple[CountryAssessment, ...]
    disclaimer: str = DISCLAIMER

    def country(self, code: str) -> CountryAssessment:
        return next(c for c in self.countries if c.country.code == code)

    def as_dict(self) -> dict[str, Any]:
        return {"disclaimer": self.disclaimer, "suspect": self.suspect_id,
                "name": self.suspect_name, "on": self.on,
                "nationalities": [n.as_dict() for n in self.nationalities],
                "victim_nationalities": list(self.victim_nationalities),
                "whereabouts": [w.as_dict() for w in self.whereabouts],
                "countries": [c.as_dict() for c in self.countries]}


@dataclass(frozen=True)
class Alert:
    """A person whose most recent recorded whereabouts moved into a country where a ground's
    presence or residence condition is now met."""

    person_id: int
    person_name: str
    country: str
    moved_from: str | None  # the country before ("unknown" if not known); None: no record
    moved_on: str | None  # the date the claim starts, or None when undated
    claim: Whereabouts
    grounds: tuple[Ground, ...]
    met: bool | None = True  # None: a sighting is the last record; still there is unknown

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.person_id, "name": self.person_name, "country": self.country,
                "moved_from": self.moved_from, "moved_on": self.moved_on,
                "met": self.met,
                "claim": self.claim.as_dict(),
                "grounds": [{"id": g.id, "title": g.title, "requires": g.requires,
                             "citation": g.citation} for g in self.grounds],
                "disclaimer": DISCLAIMER}


# -- reading the registry ------------------------------------------------------------------------

def _day(value: str | None, what: str) -> tuple[date, date]:
    if value is None:
        today = utcnow().date()
        return today, today
    try:
        return bounds(value.strip())
    except DateError as exc:
        raise JurisdictionError(f"{what}: {exc}") from exc


def _suspect(conn: Connection, suspect: str | int) -> tuple[int, str]:
    try:
        entity_id = suspect if isinstance(suspect, int) else entity_by_reference(
            conn, suspect, "person")
    except EntityReferenceError as exc:
        raise JurisdictionError(str(exc)) from exc
    entity = get_entities(conn, [entity_id], with_names=False).get(entity_id)
    if entity is None or entity.kind != "person":
        raise JurisdictionError(f"no person with id {entity_id} in the registry")
    return entity_id, entity.name


def _whereabouts(conn: Connection, views: Sequence[Any]) -> list[Whereabouts]:
    places = get_entities(conn, {v.object_id for v in views if v.object_id is not None})
    found = []
    for view in views:
        place = places.get(view.object_id) if view.object_id is not None else None
        if view.predicate == "nationality":
            country, name = country_code(view.value), view.value
        else:
            country = place_country(place) if place is not None else None
            name = place.name if place is not None else view.object_name
        found.append(Whereabouts(view.id, view.predicate, country, view.object_id, name,
                                 view.valid_from, view.valid_to, view.time_precision,
                                 view.status, tuple(view.sources)))
    return found


def _order(w: Whereabouts) -> tuple[date, int]:
    return (w.start or date.min, w.claim_id)


def _close_open_ends(found: list[Whereabouts]) -> list[Whereabouts]:
    """An open-ended residence ends where the next residence begins; an open-ended presence
    where the next whereabouts of any kind begin (a trip does not end a residence)."""
    located = sorted((w for w in found if w.predicate in LOCATION_PREDICATES), key=_order)
    closed: dict[int, Whereabouts] = {}
    for index, item in enumerate(located):
        if item.precision != "exact" or item.valid_to is not None or item.start is None:
            continue
        later = [w for w in located[index + 1:] if w.start is not None and w.start > item.start
                 and (item.predicate == "present_in" or w.predicate == "resides_in")]
        following = later[0].start if later else None
        if following is not None:
            end = (following - timedelta(days=1)).isoformat()
            closed[item.claim_id] = replace(item, until_next=end)
    return [closed.get(w.claim_id, w) for w in found]


def _covers(w: Whereabouts, day: tuple[date, date]) -> bool:
    return (w.start is None or w.start <= day[1]) and (w.end is None or w.end >= day[0])


# -- weighing the grounds ------------------------------------------------------------------------

def _located(country: Country, requirement: str, whereabouts: Sequence[Whereabouts],
             day: tuple[date, date], on: str) -> Condition:
    text = f"suspect {_WORDS[requirement]} {country.name} on {on}"
    kinds = _SATISFIES[requirement]
    here = [w for w in whereabouts if w.country == country.code and w.predicate in kinds]
    covering = [w for w in here if _covers(w, day)]
    if covering:
        return Condition(text, True, "; ".join(w.describe() for w in covering),
                         tuple(covering))
    before = [w for w in whereabouts if w.predicate in LOCATION_PREDICATES
              and (w.start is None or w.start <= day[1])]
    last = max(before, key=_order) if before else None
    elsewhere = any(_covers(w, day) for w in before)
    if last is not None and last in here and last.precision == "within" and not elsewhere:
        return Condition(text, None, f"last recorded there ({last.describe()}); nothing "
                         f"recorded after, so whether still there on {on} is unknown", (last,))
    if here:
        return Condition(text, False, "recorded there only at other times: "
                         + "; ".join(w.describe() for w in here), tuple(here))
    return Condition(text, False, f"no claim places the suspect in {country.name}")


def _active(country: Country, ground: Ground, nationalities: Sequence[Whereabouts],
            whereabouts: Sequence[Whereabouts], day: tuple[date, date], on: str) -> Condition:
    links = " or ".join(_WORDS.get(link, "a national of") for link in ground.suspect_link)
    text = f"suspect {links} {country.name}"
    shown: list[Whereabouts] = []
    reasons: list[str] = []
    if "nationality" in ground.suspect_link:
        own = [n for n in nationalities if n.country == country.code]
        shown += own
        reasons.append("; ".join(n.describe() for n in own) if own
                       else f"no nationality of {country.name} recorded")
    for link in ("residence", "habitual_residence"):
        if link in ground.suspect_link:
            resident = _located(country, link, whereabouts, day, on)
            if resident.met:
                shown += resident.claims
            reasons.append(resident.basis)
    return Condition(text, bool(shown), "; ".join(reasons), tuple(shown))


def _passive(country: Country, victims: Sequence[str]) -> Condition:
    text = f"a victim who is a national of {country.name}"
    if not victims:
        return Condition(text, False, "no victim nationality given")
    met = country.code in victims
    return Condition(text, met, f"victim nationalities given: {', '.join(victims)}")


def _ground(country: Country, ground: Ground, nationalities: Sequence[Whereabouts],
            whereabouts: Sequence[Whereabouts], victims: Sequence[str],
            day: tuple[date, date], on: str) -> GroundAssessment:
    conditions: list[Condition] = []
    if ground.requires != "none":
        conditions.append(_located(country, ground.requires, whereabouts, day, on))
    if ground.type == "active_personality":
        conditions.append(_active(country, ground, nationalities, whereabouts, day, on))
    elif ground.type == "passive_personality":
        conditions.append(_passive(country, victims))
    met = [c.met for c in conditions]
    status = ("not_met" if False in met else "unknown" if None in met else "may_apply")
    return GroundAssessment(ground, status, tuple(conditions))


def assess(engine: Engine, suspect: str | int, victim_nationalities: Sequence[str] = (),
           on: str | None = None) -> Assessment:
    """For each configured country, the grounds that may apply to ``suspect`` (an entity id
    or a name in the registry) on ``on`` (default today), with the claims that show it."""
    day = _day(on, "--on")
    victims = []
    for given in victim_nationalities:
        code = country_code(given)
        if code is None:
            raise JurisdictionError(f"victim nationality {given!r} is not a country code or "
                                    "a known country name")
        victims.append(code)
    with engine.connect() as conn:
        entity_id, name = _suspect(conn, suspect)
        views = [v for v in list_claims(conn, entity_id, statuses=STATUSES)
                 if v.subject_id == entity_id
                 and v.predicate in (*LOCATION_PREDICATES, "nationality")]
        found = _close_open_ends(_whereabouts(conn, views))
    nationalities = tuple(w for w in found if w.predicate == "nationality")
    located = tuple(sorted((w for w in found if w.predicate != "nationality"), key=_order))
    when = on.strip() if on else day[0].isoformat()
    results = tuple(
        CountryAssessment(country, tuple(
            _ground(country, ground, nationalities, located, victims, day, when)
            for ground in country.grounds),
            tuple(w for w in located if w.country == country.code))
        for country in countries().values())
    return Assessment(entity_id, name, when, nationalities, tuple(dict.fromkeys(victims)),
                      located, results)


# -- alerts ----------------------------------------------------------------------------------

def alerts(engine: Engine, since: str | None = None) -> list[Alert]:
    """Persons whose most recent recorded whereabouts moved into a configured country where
    a ground's presence or residence condition is now met (what it requires, or the residence
    link of an active-personality ground), with the claim that shows it; most recent first.
    The country of the whereabouts before must differ: a move within a country is no news.

    ``since``: only moves on or after that date (the date the claim starts; for an undated
    claim, the day it was recorded).
    """
    start = _day(since, "--since")[0] if since is not None else None
    today = utcnow().date()
    query = (select(claims.c.id, claims.c.subject_id, claims.c.created_at)
             .join(entities, entities.c.id == claims.c.subject_id)
             .where(entities.c.kind == "person",
                    claims.c.predicate.in_(LOCATION_PREDICATES), claims.c.status.in_(STATUSES)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        recorded = {row.id: row.created_at for row in rows}
        everything = _whereabouts(conn, get_claims(conn, [row.id for row in rows]))
        subjects = {row.id: row.subject_id for row in rows}
        people = get_entities(conn, set(subjects.values()), with_names=False)
    by_person: dict[int, list[Whereabouts]] = {}
    for item in everything:
        by_person.setdefault(subjects[item.claim_id], []).append(item)
    found: list[Alert] = []
    for person_id, items in by_person.items():
        alert = _alert(sorted(_close_open_ends(items), key=_order), today)
        if alert is None:
            continue
        latest, grounds, moved_from, met = alert
        moved = latest.start or recorded[latest.claim_id].date()
        if start is not None and moved < start:
            continue
        found.append(Alert(person_id, people[person_id].name, latest.country or "",
                           moved_from, latest.valid_from, latest, grounds, met))
    return sorted(found, key=lambda a: (a.claim.start or date.min, a.person_id), reverse=True)


def _alert(located: Sequence[Whereabouts], today: date
           ) -> tuple[Whereabouts, tuple[Ground, ...], str | None, bool | None] | None:
    """The alert a person's whereabouts make: the latest of them in a configured country
    other than the one before, where a presence or residence condition is met today (True)
    or is the last record of him (None: a sighting with nothing recorded after it)."""
    if not located:
        return None
    latest = located[-1]
    country = countries().get(latest.country or "")
    if country is None:
        return None
    earlier = [w for w in located[:-1] if w.start is None or latest.start is None
               or w.start < latest.start]
    moved_from = (earlier[-1].country or "unknown") if earlier else None
    if moved_from == country.code:
        return None
    day = (today, today)
    opened: list[tuple[Ground, bool | None]] = []
    for ground in country.grounds:
        requirement = _opened_by(ground, latest.predicate)
        if requirement is not None:
            met = _located(country, requirement, located, day, today.isoformat()).met
            if met is not False:
                opened.append((ground, met))
    if not opened:
        return None
    met = True if any(m is True for _, m in opened) else None
    return latest, tuple(g for g, _ in opened), moved_from, met


def _opened_by(ground: Ground, predicate: str) -> str | None:
    """The presence or residence condition of a ground that a claim of ``predicate`` can
    meet: what it requires, or the residence link of an active-personality ground; None when
    it has none (a ground that requires nothing applied before a move as after it)."""
    if ground.requires != "none":
        return ground.requires if predicate in _SATISFIES[ground.requires] else None
    if predicate == "resides_in":
        return next((link for link in ground.suspect_link
                     if link in ("residence", "habitual_residence")), None)
    return None
