"""Pseudonyms for protected persons in everything a bundle derives from the evidence.

A witness or a source marked protected in the registry (``entities.protected``) must not be
named in a bundle that leaves the team: not in the derived text, the exhibit list, the quotes,
the assessments, the report or the proof matrix. Each protected person gets a stable
pseudonym ("Witness A", "Witness B", … in the order they first appear in the case's exhibits)
and every spelling of their names is replaced by it.

A name is found as a run of words, compared word by word on their index terms
(:func:`dossier.text.analyze`: the one normaliser, with Arabic light stemming), so that
"جميل الحسن", "وجميل حسن", "JAMIL HASSAN" and "Jamil al-Hasan" are all found in the text as
written. The spellings searched are the entity's names and the variants Dossier derives from
each (:func:`dossier.text.name_variants`: Latin and Arabic spellings, with and without the
article). For a name of a given and a family name, each spelling is also searched family name
first ("HASSAN Jamil", "Hassan, Jamil", "الحسن، جميل") and with the given name (and the
fathers' names) as initials ("J. Hassan", "Hassan, J.", "ج. حسن"). These forms are searched
strictly, so as not to hide someone else: the words must follow each other with nothing but
spaces, "_", "-" and one comma between them, and an initial must be a single letter followed
by a full stop ("a Hassan" is not "A. Hassan"). A given name alone or a family name alone is
never a spelling of its own. Mentions the extractor linked to a protected entity add their
exact spans on the pages, which catches a name written in a form no variant foresaw.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from sqlalchemy import Connection, select

from dossier.cases.casefile import CaseFile
from dossier.store.schema import entities, entity_names
from dossier.text import Token, analyze, name_variants, parse_name

PSEUDONYM_PREFIX = "Witness"
VARIANTS_PER_NAME = 50

Span = tuple[int, int, int]  # start, end, entity id


class Form(NamedTuple):
    """A way a name is written, as index terms. A strict form (family name first, initials)
    matches only where its words are separated by spaces, "_", "-" or one comma, and where
    each of its ``initials`` (positions) is one letter followed by a full stop."""

    terms: tuple[str, ...]
    entity_id: int
    strict: bool = False
    initials: frozenset[int] = frozenset()


def label(number: int) -> str:
    """The n-th pseudonym (0-based): Witness A … Witness Z, Witness AA, Witness AB …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return f"{PSEUDONYM_PREFIX} {letters}"


@dataclass
class Pseudonymiser:
    """Finds the protected persons' names in a text and replaces them by pseudonyms.

    Pseudonyms are handed out by :meth:`find` in the order names are first found, so that
    scanning the exhibits in order gives "Witness A" to the first person named in them.
    """

    spellings: dict[int, tuple[str, ...]]  # entity id -> every spelling searched
    labels: dict[int, str] = field(default_factory=dict)
    _by_first: dict[str, list[Form]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        forms: dict[Form, None] = {}
        for entity_id, names in self.spellings.items():
            for name in names:
                terms = tuple(token.term for token in analyze(name))
                if terms:
                    forms[Form(terms, entity_id)] = None
                forms.update(dict.fromkeys(reordered_forms(name, entity_id)))
        for form in forms:
            self._by_first.setdefault(form.terms[0], []).append(form)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda form: -len(form.terms))  # longest spelling wins

    @property
    def active(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str) -> list[Span]:
        """Where the text names a protected person, as non-overlapping spans in order."""
        if not self._by_first or not text:
            return []
        tokens = analyze(text)
        terms = [token.term for token in tokens]
        spans: list[Span] = []
        index = 0
        while index < len(tokens):
            width = 0
            for form in self._by_first.get(terms[index], ()):
                if tuple(terms[index:index + len(form.terms)]) == form.terms and (
                        not form.strict or _written_as(form, text, tokens, index)):
                    width = len(form.terms)
                    end = tokens[index + width - 1].end
                    if width - 1 in form.initials:  # "Hassan, J." goes with its full stop
                        end += 1
                    spans.append((tokens[index].start, end, form.entity_id))
                    self.pseudonym(form.entity_id)
                    break
            index += max(width, 1)
        return spans

    def pseudonym(self, entity_id: int) -> str:
        if entity_id not in self.labels:
            self.labels[entity_id] = label(len(self.labels))
        return self.labels[entity_id]

    def apply(self, text: str, extra: Iterable[Span] = ()) -> str:
        """The text with every protected name (and every extra span) replaced."""
        spans = merge([*self.find(text), *extra])
        if not spans:
            return text
        out: list[str] = []
        last = 0
        for start, end, entity_id in spans:
            out.append(text[last:start])
            out.append(self.pseudonym(entity_id))
            last = end
        out.append(text[last:])
        return "".join(out)

    def hide(self, text: str | None) -> str | None:
        return None if text is None else self.apply(text)

    def case(self, case: CaseFile) -> CaseFile:
        """The case as the bundle shows it: every name, quote and note pseudonymised."""
        if not self.active:
            return case
        suspects = tuple(replace(s, name=self.apply(s.name),
                                 names=tuple(self.apply(n) for n in s.names),
                                 note=self.hide(s.note)) for s in case.suspects)
        evidence = tuple(replace(e, item_path=self.apply(e.item_path), quote=self.hide(e.quote),
                                 source=self.apply(e.source), assessment=self.hide(e.assessment))
                         for e in case.evidence)
        charges = tuple(replace(c, title=self.apply(c.title), note=self.hide(c.note))
                        for c in case.charges)
        return replace(case, title=self.apply(case.title), description=self.hide(
            case.description), suspects=suspects, charges=charges, evidence=evidence)


_GAP = re.compile(r"[\s_\-]*[,،]?[\s_\-]*")


def _written_as(form: Form, text: str, tokens: Sequence[Token], start: int) -> bool:
    """Whether the tokens from ``start`` are written as a strict form asks (see :class:`Form`):
    nothing but a separator between the words, and each initial a letter and a full stop."""
    for offset in range(len(form.terms)):
        token = tokens[start + offset]
        after = token.end
        if offset in form.initials:
            if token.end - token.start != 1 or text[token.end:token.end + 1] != ".":
                return False
            after += 1
        if offset + 1 < len(form.terms) and not _GAP.fullmatch(
                text, after, tokens[start + offset + 1].start):
            return False
    return True


def reordered_forms(name: str, entity_id: int) -> list[Form]:
    """The strict forms of a name of a given and a family name: family name first (with the
    fathers' names or without), and the given (and fathers') names as initials before or
    after the family name. No forms for a name of one part, a kunya alone, or a name already
    written with initials."""
    parsed = parse_name(name)
    if parsed.given is None or parsed.family is None or parsed.initials:
        return []
    given, family = _terms(parsed.given), _terms(parsed.family)
    fathers = tuple(term for father in parsed.fathers for term in _terms(father))
    if not given or not family:
        return []
    forms = [Form(family + given + fathers, entity_id, strict=True),
             Form(family + given, entity_id, strict=True)]
    # an initial is the first letter as written, normalised as the text's will be ("Š" → s)
    letters = tuple(term[0] for part in (parsed.given, *parsed.fathers)
                    for term in _terms(next((c for c in part if c.isalpha()), ""))[:1])
    if len(letters) == 1 + len(parsed.fathers):
        after = len(family)
        forms += [Form(letters + family, entity_id, True, frozenset(range(len(letters)))),
                  Form(family + letters, entity_id, True,
                       frozenset(range(after, after + len(letters)))),
                  Form(letters[:1] + family, entity_id, True, frozenset({0})),
                  Form(family + letters[:1], entity_id, True, frozenset({after}))]
    return list(dict.fromkeys(forms))


def _terms(text: str) -> tuple[str, ...]:
    return tuple(token.term for token in analyze(text))


def merge(spans: Sequence[Span]) -> list[Span]:
    """Sorted spans with overlaps joined (the first entity names the joined span)."""
    merged: list[Span] = []
    for start, end, entity_id in sorted(spans):
        if merged and start < merged[-1][1]:
            previous = merged[-1]
            merged[-1] = (previous[0], max(previous[1], end), previous[2])
        else:
            merged.append((start, end, entity_id))
    return merged


def load_pseudonymiser(conn: Connection) -> Pseudonymiser:
    """Every protected entity of the registry with every spelling of its names."""
    protected = {int(row.id): [row.name] for row in conn.execute(
        select(entities.c.id, entities.c.name).where(entities.c.protected.is_(True))
        .order_by(entities.c.id))}
    if protected:
        for row in conn.execute(select(entity_names.c.entity_id, entity_names.c.name)
                                .where(entity_names.c.entity_id.in_(list(protected)))):
            protected[int(row.entity_id)].append(row.name)
    spellings: dict[int, tuple[str, ...]] = {}
    for entity_id, names in protected.items():
        found: dict[str, None] = {}
        for name in names:
            found.update(dict.fromkeys(name_variants(name, VARIANTS_PER_NAME)))
            found[name] = None
        spellings[entity_id] = tuple(found)
    return Pseudonymiser(spellings)
