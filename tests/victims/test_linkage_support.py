"""Small synthetic victim lists with known truth, inserted straight into the store.

Each synthetic victim (names made from the demo's generic name tables: nobody real) is written
into some of the lists, each list in its own habits: Arabic or Latin script, spelling variants,
a typo now and then, a missing father's name, a date given as a year only, an age instead of a
date of birth. ``make_lists`` returns the true victim of every record id.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from dossier.demo.names import FAMILY, FEMALE, MALE, NamePart
from dossier.store.schema import victim_lists, victim_records

GOVERNORATES = ("Damascus", "Rif Dimashq", "Aleppo", "Homs", "Hama", "Idlib", "Daraa",
                "Latakia", "Deir ez-Zor", "Raqqa")


def _spell(part: NamePart, rng: random.Random, script: str) -> str:
    if script == "ar":
        return part.ar
    return rng.choice(part.en if script == "en" else part.fr)


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4 or not text.isascii():
        return text
    at = rng.randrange(1, len(text) - 1)
    return text[:at] + text[at + 1] + text[at] + text[at + 2:]


def make_people(count: int, seed: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    people = []
    for number in range(count):
        sex = "f" if rng.random() < 0.15 else "m"
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
        arrest = date(2011, 6, 1) + timedelta(days=rng.randrange(0, 365 * 4))
        death = arrest + timedelta(days=rng.randrange(10, 600))
        people.append({
            "truth": number, "sex": sex,
            "given": rng.choice(FEMALE if sex == "f" else MALE),
            "father": rng.choice(MALE), "grandfather": rng.choice(MALE),
            "family": rng.choice(FAMILY), "born": born, "arrest": arrest, "death": death,
            "governorate": rng.choice(GOVERNORATES),
        })
    return people


def record_of(person: dict[str, Any], rng: random.Random, script: str,
              noisy: bool = True) -> dict[str, Any]:
    given = _spell(person["given"], rng, script)
    family = _spell(person["family"], rng, script)
    father: str | None = _spell(person["father"], rng, script)
    if noisy and rng.random() < 0.08:
        given = _typo(given, rng)
    if noisy and rng.random() < 0.1:
        father = None
    death = person["death"]
    death_text = death.isoformat()
    if noisy and rng.random() < 0.1:
        death_text = str(death.year)
    elif noisy and rng.random() < 0.1:
        death_text = (death + timedelta(days=rng.randint(-5, 5))).isoformat()
    record: dict[str, Any] = {
        "birth_date": None, "age": None,
        "given": given, "father": father, "family": family,
        "grandfather": _spell(person["grandfather"], rng, script) if rng.random() < 0.5 else None,
        "sex": person["sex"], "death_date": death_text,
        "arrest_date": person["arrest"].isoformat() if rng.random() < 0.7 else None,
        "governorate": person["governorate"] if rng.random() < 0.9 else None,
    }
    if rng.random() < 0.5:
        record["birth_date"] = person["born"].isoformat()
    else:
        record["age"] = death.year - person["born"].year
    record["full_name"] = " ".join(p for p in (given, father, family) if p)
    return record


def make_lists(workspace: Any, people: list[dict[str, Any]], *, lists: int = 3,
               coverage: float = 0.6, seed: int = 5, noisy: bool = True) -> dict[int, int]:
    """Write ``lists`` lists over ``people``; return {record id: true victim}."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    scripts = ("ar", "en", "fr")
    rows: list[dict[str, Any]] = []
    truth_of_row: list[int] = []
    with workspace.engine.begin() as conn:
        for index in range(lists):
            list_id = conn.execute(insert(victim_lists).values(
                name=f"list-{index + 1}", created_at=now)).inserted_primary_key[0]
            number = 0
            for person in people:
                if rng.random() >= coverage:
                    continue
                number += 1
                record = record_of(person, rng, scripts[index % 3], noisy)
                rows.append({**record, "list_id": list_id, "source_sha256": "0" * 64,
                             "row_number": number, "raw": "{}", "imported_at": now})
                truth_of_row.append(person["truth"])
        conn.execute(insert(victim_records), rows)
        ids = [row.id for row in conn.execute(victim_records.select()
                                              .order_by(victim_records.c.id))]
    return dict(zip(ids, truth_of_row, strict=True))


def pairwise_scores(truth: dict[int, int], victim_of: dict[int, int]
                    ) -> tuple[float, float]:
    """(precision, recall) of the linked pairs against the true pairs."""
    def pairs(label: dict[int, int]) -> set[tuple[int, int]]:
        groups: dict[int, list[int]] = {}
        for record, group in label.items():
            groups.setdefault(group, []).append(record)
        return {(a, b) for members in groups.values() for a in members for b in members
                if a < b}

    true_pairs, found = pairs(truth), pairs(victim_of)
    hits = len(true_pairs & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    return precision, recall
