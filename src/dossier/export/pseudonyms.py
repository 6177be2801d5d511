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
article). Mentions the extractor linked to a protected entity add their exact spans, which
catches a name written in a form no variant foresaw.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, select

from dossier.cases.casefile import CaseFile
from dossier.store.schema import entities, entity_names
from dossier.text import analyze, name_variants

PSEUDONYM_PREFIX = "Witness"
VARIANTS_PER_NAME = 50

Span = tuple[int, int, int]  # start, end, entity id


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
    _by_first: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entity_id, names in self.spellings.items():
            for name in names:
                terms = tuple(token.term for token in analyze(name))
                if terms:
                    self._by_first.setdefault(terms[0], []).append((terms, entity_id))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda pair: -len(pair[0]))  # longest spelling wins

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
            for words, entity_id in self._by_first.get(terms[index], ()):
                if tuple(terms[index:index + len(words)]) == words:
                    width = len(words)
                    spans.append((tokens[index].start, tokens[index + width - 1].end,
                                  entity_id))
                    self.pseudonym(entity_id)
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

    def mapping(self) -> dict[str, str]:
        """Every spelling -> its pseudonym, for code that replaces names itself (the matrix)."""
        return {name: self.pseudonym(entity_id)
                for entity_id, names in self.spellings.items() for name in names}

    def apply_html(self, html: str) -> str:
        """Replace names in the text between tags, never inside a tag."""
        if not self.active:
            return html
        parts = _TAG.split(html)
        return "".join(part if part.startswith("<") else self.apply(part) for part in parts)

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


_TAG = re.compile(r"(<[^>]*>)")


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
