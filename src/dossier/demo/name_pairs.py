"""Labelled name pairs for measuring name matching: same person or not, from known truth.

How the set is built (:func:`labelled_pairs`):

- positives: two spellings of one person of the synthetic world (``build_world``): Arabic
  against Latin, Latin against Latin, English against French, with ranks in the three
  languages, with the given name as an initial ("J. Hassan"), "Family, Given", French
  upper-case family names, a kunya, detainees' four-part Arabic names against two-part Latin
  ones; plus the hand-written public variant groups of PUBLIC_GROUPS (ranks, bin/ibn,
  al-/el-/Al, Mohammad/Muhammad/Mohamed, ou/u/w, q/k/g);
- negatives, all hard (never two random names): two men with the same given and family name
  whose fathers differ, both fathers written; the same family name with another given name;
  the same given name with another family name; a part replaced by a confusable one (the same
  consonant skeleton or one consonant apart: حسن/حسين, سامر/سمير, Hamdan/Hamdi); plus the
  hand-written PUBLIC_NEGATIVES.

Pairs of different men with the same given and family name where only one side writes the
father's name cannot be told apart from the names; they are not in this set but in
:func:`ambiguous_pairs`, reported on their own.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same pairs.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from dossier.demo.names import FAMILY, MALE, NamePart, article_forms
from dossier.demo.units import RANKS
from dossier.demo.world import Detainee, Person, build_world

__all__ = ["PUBLIC_GROUPS", "PUBLIC_NEGATIVES", "ambiguous_pairs", "labelled_pairs"]

PUBLIC_GROUPS: tuple[tuple[str, ...], ...] = (
    ("العميد جميل حسن", "Brig. Gen. Jamil Hassan", "Jameel al-Hasan", "J. Hassan",
     "Jamil Hasan", "Général Jamil HASSAN", "HASSAN, Jamil", "اللواء جميل الحسن"),
    ("أنور رسلان", "Anouar Rasslan", "Anwar Raslan", "Colonel Anwar Raslan", "RASLAN Anwar",
     "العقيد أنور رسلان"),
    ("علي مملوك", "Ali Mamlouk", "Ali Mamluk", "اللواء علي مملوك", "Maj. Gen. Ali Mamlouk"),
    ("عبد السلام محمود", "Abdul Salam Mahmoud", "Abdessalam Mahmoud", "Abdel Salam Mahmud"),
    ("رفيق شحادة", "Rafiq Shahadah", "Rafik Chehade"),
    ("عاطف نجيب", "Atef Najib", "Atif Najeeb"),
    ("توفيق يونس", "Tawfiq Younes", "Toufic Younis"),
    ("عبد الفتاح قدسية", "Abdel Fattah Qudsiya", "Abd al-Fattah Qudsiyeh"),
    ("كفاح ملحم", "Kifah Moulhem", "Kifah Mulhim"),
    ("إياد الغريب", "Eyad al-Gharib", "Iyad Gharib"),
    ("رستم غزالي", "Rustum Ghazaleh", "Rostom Ghazali"),
    ("محمد بن علي الأحمد", "Mohammad bin Ali al-Ahmad", "Muhammad ibn Ali Al Ahmad"),
    ("أبو علي خالد الحسن", "Khaled al-Hasan (Abu Ali)", "Khalid el-Hassan"),
    ("عبد الرحمن الحلبي", "Abderrahmane HALABI", "Abd al-Rahman al-Halabi"),
    ("نور الدين درويش", "Nour al-Din Darwish", "Noureddine DARWICH"),
    ("قاسم الحموي", "Qassem Hamwi", "Kassem HAMOUI", "Gasim al-Hamawi"),
    ("يوسف عثمان", "Youssef Othman", "Yusuf Uthman", "Youcef OTHMANE"),
    ("حسين الخطيب", "Hussein al-Khatib", "Houssein EL KHATIB", "Husayn Khateeb"),
)  # fmt: skip
"""Spellings of one person each: public figures named in the seed documents, and generic
names written in the usual patterns."""

PUBLIC_NEGATIVES: tuple[tuple[str, str], ...] = (
    ("Jamil Hassan", "Jamal Hassan"),
    ("جميل حسن", "Jamil Hussein"),
    ("Ali Mamlouk", "Ali Makhlouf"),
    ("Mohammad Ali Hassan", "Mohammad Ahmad Hassan"),
    ("محمد علي حسن", "Mohammad Ahmad Hassan"),
    ("Hassan Khalil", "Hussein Khalil"),
    ("Omar Hamdan", "Amr Hamdan"),
    ("Samir Saleh", "Samer Saleh"),
    ("Mahmoud Ali", "Mohammad Ali"),
    ("أنور رسلان", "Anwar Rashid"),
    ("Khaled bin Walid al-Ahmad", "Khaled bin Nabil al-Ahmad"),
    ("Tawfiq Younes", "Tawfiq Yassin"),
)
"""Different persons with similar names, written by hand."""

_RANK_EN = {"Brigadier General": ("Brig. Gen.", "Brigadier General"),
            "Major General": ("Maj. Gen.", "Major General"), "Colonel": ("Col.", "Colonel"),
            "Lieutenant Colonel": ("Lt. Col.", "Lieutenant Colonel"), "Major": ("Maj.", "Major"),
            "Captain": ("Capt.", "Captain"), "First Lieutenant": ("Lt.", "First Lieutenant"),
            "Second Lieutenant": ("Lt.", "Second Lieutenant")}


def _family_ar(family: NamePart) -> str:
    return family.ar


def _family_latin(rng: random.Random, family: NamePart, french: bool) -> str:
    bases = family.fr if french else family.en
    base = rng.choice(bases)
    form = rng.choice(article_forms(base, family.ar, french)) if family.article else base
    return form.upper() if french and rng.random() < 0.6 else form


def _render(rng: random.Random, parts: list[NamePart], family: NamePart, script: str) -> str:
    """A name in one script: parts (given, fathers...) then the family name."""
    if script == "ar":
        return " ".join([*(part.ar for part in parts), _family_ar(family)])
    french = script == "fr"
    words = [rng.choice(part.fr if french else part.en) for part in parts]
    fam = _family_latin(rng, family, french)
    style = rng.random()
    if style < 0.15 and len(parts) == 1:
        return f"{fam}, {words[0]}"
    if style < 0.25 and french and len(parts) == 1:
        return f"{fam.upper()} {words[0]}"
    return " ".join([*words, fam])


def _with_rank(rng: random.Random, name: str, person: Person, script: str) -> str:
    rank = next((r for r in RANKS if r.ar == person.posts[-1].rank), None) if person.posts else None
    if rank is None:
        return name
    if script == "ar":
        return f"ال{rank.ar} {name}" if rng.random() < 0.7 else f"{rank.ar} {name}"
    if script == "fr":
        return f"{rank.fr.capitalize()} {name}"
    return f"{rng.choice(_RANK_EN[rank.en])} {name}"


def _person_spellings(rng: random.Random, person: Person) -> list[str]:
    names = [*person.ar_names, *person.en_names, *person.fr_names]
    names.append(_with_rank(rng, person.ar_names[-1], person, "ar"))
    names.append(_with_rank(rng, person.en_names[0], person, "en"))
    names.append(_with_rank(rng, person.fr_names[0], person, "fr"))
    family = _family_latin(rng, person.family, False)
    names.append(f"{rng.choice(person.given.en)[0]}. {family}")
    if person.kunya is not None:
        names.append(f"أبو {person.kunya.ar} {person.ar_names[-1]}")
        names.append(f"{person.en_names[0]} (Abu {rng.choice(person.kunya.en)})")
    return list(dict.fromkeys(names))


def _detainee_spellings(rng: random.Random, detainee: Detainee) -> list[str]:
    chain = [detainee.given, detainee.father, detainee.grandfather]
    names = [_render(rng, chain, detainee.family, "ar"),
             _render(rng, chain[:2], detainee.family, "ar"),
             _render(rng, chain[:1], detainee.family, "ar")]
    for script in ("en", "en", "fr"):
        names.append(_render(rng, chain[: rng.choice((1, 1, 2))], detainee.family, script))
    return list(dict.fromkeys(names))


def _other(rng: random.Random, pool: tuple[NamePart, ...], avoid: NamePart,
           accept: Callable[[NamePart], bool] = lambda part: True) -> NamePart | None:
    choices = [part for part in pool if part.ar != avoid.ar and accept(part)]
    return rng.choice(choices) if choices else None


def _confusable(part: NamePart, pool: tuple[NamePart, ...]) -> list[NamePart]:
    """Parts of the pool whose skeleton equals this part's or is one consonant away."""
    from dossier.text import token_key

    key = token_key(part.ar)

    def near(other: str) -> bool:
        if other == key:
            return True
        if abs(len(other) - len(key)) > 1:
            return False
        if len(other) == len(key):
            return sum(x != y for x, y in zip(other, key, strict=True)) == 1
        short, long = sorted((other, key), key=len)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))

    return [o for o in pool if o.ar.replace("ال", "") != part.ar.replace("ال", "")
            and near(token_key(o.ar))]


def _scripts(rng: random.Random) -> tuple[str, str]:
    return rng.choice((("ar", "en"), ("ar", "fr"), ("en", "en"), ("en", "fr"), ("ar", "ar"),
                       ("fr", "en")))


def _negative(rng: random.Random, given: NamePart, father: NamePart,
              family: NamePart) -> tuple[str, str] | None:
    """One hard negative built around (given, father, family)."""
    kind = rng.randrange(4)
    left, right = _scripts(rng)
    if kind == 0:  # same given and family name, another father, both fathers written
        other = _other(rng, MALE, father, lambda p: p.ar != given.ar)
        if other is None:
            return None
        return (_render(rng, [given, father], family, left),
                _render(rng, [given, other], family, right))
    if kind == 1:  # same family name, another given name
        other = _other(rng, MALE, given)
        if other is None:
            return None
        return _render(rng, [given], family, left), _render(rng, [other], family, right)
    if kind == 2:  # same given name, another family name
        other_family = _other(rng, FAMILY, family,
                              lambda p: p.ar.replace("ال", "") != family.ar.replace("ال", ""))
        if other_family is None:
            return None
        return _render(rng, [given], family, left), _render(rng, [given], other_family, right)
    # a confusable given or family name: the same skeleton or one consonant apart
    if rng.random() < 0.5:
        options = _confusable(given, MALE)
        if not options:
            return None
        return (_render(rng, [given], family, left),
                _render(rng, [rng.choice(options)], family, right))
    options = _confusable(family, FAMILY)
    if not options:
        return None
    return (_render(rng, [given], family, left),
            _render(rng, [given], rng.choice(options), right))


def labelled_pairs(seed: int = 7, n: int = 4000) -> list[tuple[str, str, bool]]:
    """About ``n`` pairs (a, b, same person?), half positive, half hard negatives, then every
    pair of the public groups and negatives. See the module docstring."""
    rng = random.Random(f"dossier-name-pairs-{seed}")
    world = build_world(seed)
    pairs: list[tuple[str, str, bool]] = []
    people: list[list[str]] = [_person_spellings(rng, p) for p in world.persons]
    people += [_detainee_spellings(rng, d) for d in world.detainees]
    while len(pairs) < n // 2:
        spellings = rng.choice(people)
        if len(spellings) >= 2:
            a, b = rng.sample(spellings, 2)
            pairs.append((a, b, True))
    identities = [(p.given, p.father, p.family) for p in world.persons]
    identities += [(d.given, d.father, d.family) for d in world.detainees if d.sex == "m"]
    while len(pairs) < n:
        negative = _negative(rng, *rng.choice(identities))
        if negative is not None:
            pairs.append((*negative, False))
    for group in PUBLIC_GROUPS:
        pairs += [(a, b, True) for i, a in enumerate(group) for b in group[i + 1 :]]
    pairs += [(a, b, False) for a, b in PUBLIC_NEGATIVES]
    return pairs


def ambiguous_pairs(seed: int = 7, n: int = 200) -> list[tuple[str, str]]:
    """Different men with the same given and family name, only one father's name written:
    the names alone cannot tell them apart, so "unsure" or "same" is all one can ask."""
    rng = random.Random(f"dossier-name-ambiguous-{seed}")
    world = build_world(seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        person = rng.choice(world.persons)
        left, right = _scripts(rng)
        pairs.append((_render(rng, [person.given, person.father], person.family, left),
                      _render(rng, [person.given], person.family, right)))
    return pairs
