"""The gazetteer: every name and variant of every registry entity, found in one pass over a page.

Names are stored as sequences of token keys (``dossier.text.token_key``: a cross-script skeleton
of one word, so "حسن", "Hassan" and "Hasan" are one key) in a trie whose first level is a dict.
A page is cut into tokens once (``dossier.text.analyze``, which keeps the offsets of the text
as written); the scan looks each token's key up in that dict and, on a hit, walks the trie as
far as the page allows. The longest name wins, leftmost first. A name never runs across a line
end, a tab (the cells of a DOCX or XLSX table) or a colon, semicolon, bracket or slash: table
cells and headings are not names.

- A key sequence registered for one entity is a linked mention (``entity_id``, ``link_score``).
- A key sequence shared by several entities (two men called Mohammad Hassan) is a mention with
  no entity and the candidates in its attributes: resolution decides, not the gazetteer.
- One word alone is never a person: given names are too common for that.
- A place is found only as one of its registered spellings, in either script (the compact
  form: case, article and hamza forms aside), and in Latin script only capitalised. Place
  names are fixed exonyms ("Damascus", "Damas", "دمشق"), not transliterations to reconcile,
  and their skeletons are those of common words and family names: "Hama" ~ "him", "Homs" ~
  "Homsi", "Daraa" ~ "Dr". A variant spelling is one more name of the place in the registry.
- On a page read by OCR (``find(..., ocr=True)``), a unit, facility or place name of two words
  or more may have one word misread, after its first word: a word of 4 letters or more within
  one edit (two when both have 6 letters or more: not "للتحقيق" for "التحقيق", a preposition
  joined on) of the registry's spelling of that word, where one word of the registry is that
  close and no other ("شعبة الخابرات العسكرية" for "شعبة المخابرات
  العسكرية": Tesseract drops the م of the ligature لم). Never a person's name here: two men's
  names are often one letter apart (an officer's name after his rank that the gazetteer did
  not find is compared with the registry's persons by `ocr_names`, which links it only when
  one person alone is that close). The first word of a unit's or facility's name of two
  words or more may be the misread one (within one edit, of one name's first word only), the
  rest then read as registered ("المشقى العسكري ٦٠١"); a first word of three letters only
  before a word of four letters or more ("تجن عدرا" for سجن عدرا). Numbers are never read loosely
  ("الفرع ٢١٥" is not "الفرع ٣١٥"). Such a mention scores lower and says which word was read
  loosely.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from dossier.extract.model import Found
from dossier.extract.ocr_names import NearNames
from dossier.extract.units import NumberedEntity
from dossier.store.schema import entities, entity_names
from dossier.text import Token, analyze, normalize
from dossier.text.arabic import ARABIC_LETTER
from dossier.text.edits import deletions, edit_distance
from dossier.text.names import ABD, ARTICLES, JOIN_BEFORE, KUNYA, SUN_ARTICLES
from dossier.text.romanize import compact_word, token_key

EXTRACTOR = "gazetteer"
KIND_PRIORITY = ("unit", "facility", "place", "person")
# "Awad, Wael" and "AWAD Wael": family name first, a Latin habit
_REVERSED = re.compile(r",|^[A-Z][A-Z'-]+\s+[A-Z][a-z]")
LATIN_PARTICLES = frozenset({"al", "el", "bin", "ibn", "ben", "abu", "abou", "ould"})
# Short words of running text whose skeletons are those of short names ("de la" ~ "Awad, Wael")
_FUNCTION_WORDS = frozenset("""
a an and as at by de des du en et for from in into is la las le les l los of on or par pour
sur the to un une y
""".split())
_BREAK = re.compile(r"[\n\r\t:;()\[\]{}|/\\،؛]")
_ARTICLE, _COMPOUND, _JOIN_BEFORE = 1, 2, 3
_ARTICLE_WORDS = ARTICLES | SUN_ARTICLES
_KEY_CACHE_LIMIT = 500_000
# OCR tolerance (see the module): shortest word read loosely, the length from which two edits
# are allowed, and the most names that may continue a prefix for the loose comparison to run
_LOOSE_SHORTEST, _LOOSE_TWO_EDITS, _LOOSE_BRANCHES = 4, 6, 64
_LOOSE_SHORTEST_FIRST = 3  # a unit's or facility's first word: سجن, فرع (see `find`)


def _form(text: str, parts: list[tuple[str, int, int]]) -> str:
    """The compact spelling of name parts (article, spaces and hamza forms aside)."""
    return " ".join(compact_word(text[start:end]) for _, start, end in parts)


def _capitalised(text: str, keyed: list[tuple[str, int, int]], first: int, last: int) -> bool:
    """Whether every Latin word of a span is written as a name is: capitalised, not a function
    word, a single letter only as an initial ("J. Hassan"); particles aside."""
    for _, start, end in keyed[first:last + 1]:
        for word in re.findall(r"[^\W\d_]+", text[start:end]):
            folded = word.casefold()
            if folded in LATIN_PARTICLES:
                continue
            if not word[0].isupper() or folded in _FUNCTION_WORDS:
                return False
        if end - start == 1 and text[end:end + 1] != ".":
            return False
    return True


def _proper(text: str, keyed: list[tuple[str, int, int]], first: int, last: int) -> bool:
    """Whether every Latin word of a span but its articles is capitalised ("Deir ez-Zor")."""
    for _, start, end in keyed[first:last + 1]:
        for word in re.findall(r"[^\W\d_]+", text[start:end]):
            if not word[0].isupper() and normalize(word) not in _ARTICLE_WORDS:
                return False
    return True


@dataclass(frozen=True)
class Named:
    """One registry name of an entity."""

    entity_id: int
    kind: str  # person | unit | facility | place
    name: str
    number: str | None = None


class _Node:
    __slots__ = ("children", "entities", "forms", "latin_order", "place_forms", "words")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entities: dict[int, str] | None = None  # entity id -> kind
        # entity id -> its Arabic spellings ending here (compact forms): within Arabic script
        # a name must be one of them, the skeleton is for crossing scripts
        self.forms: dict[int, set[str]] | None = None
        # entities registered here only by a reversed Latin form ("Awad, Wael", "AWAD Wael"),
        # which Arabic text never writes
        self.latin_order: set[int] | None = None
        # place id -> its spellings ending here, in both scripts (compact forms)
        self.place_forms: dict[int, set[str]] | None = None
        # how the word that leads here is spelled (compact forms), for names other than
        # persons': what an OCR'd word is compared with
        self.words: set[str] | None = None


class Gazetteer:
    """Registry names as token-key sequences; :meth:`find` scans a page once."""

    def __init__(self, names: Iterable[Named] = (), key: Callable[[str], str] | None = None
                 ) -> None:
        self._key = key or token_key
        self._keys: dict[str, tuple[int, str]] = {}
        self._root: dict[str, _Node] = {}
        self.numbers: dict[str, list[NumberedEntity]] = defaultdict(list)
        self.entity_numbers: dict[int, str] = {}
        self.size = 0
        self._person_names: list[tuple[int, str]] = []  # Arabic ones, for near_names
        # the first words of units' and facilities' names of several words, under each of
        # their one-letter deletions: (spelled, key of the first level), for _near_first
        self._first_words: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._near_names: NearNames | None = None
        for named in names:
            self.add(named)

    # -- building ---------------------------------------------------------------------------

    def add(self, named: Named) -> None:
        parts = self.keys_of(named.name, analyze(named.name))
        if not parts:
            return
        node = self._root.get(parts[0][0])
        if node is None:
            node = self._root[parts[0][0]] = _Node()
        if named.kind in ("unit", "facility") and len(parts) > 1:
            first = compact_word(named.name[parts[0][1]:parts[0][2]])
            if len(first) >= _LOOSE_SHORTEST_FIRST and not parts[0][0][0].isdigit():
                for variant in deletions(first):
                    self._first_words[variant].add((first, parts[0][0]))
        for key, start, end in parts[1:]:
            child = node.children.get(key)
            if child is None:
                child = node.children[key] = _Node()
            node = child
            if named.kind != "person":
                if node.words is None:
                    node.words = set()
                node.words.add(compact_word(named.name[start:end]))
        if node.entities is None:
            node.entities = {}
        known = named.entity_id in node.entities
        node.entities[named.entity_id] = named.kind
        if named.kind == "place":
            if node.place_forms is None:
                node.place_forms = {}
            node.place_forms.setdefault(named.entity_id, set()).add(_form(named.name, parts))
        if ARABIC_LETTER.search(named.name):
            if node.forms is None:
                node.forms = {}
            node.forms.setdefault(named.entity_id, set()).add(_form(named.name, parts))
            if named.kind == "person":
                self._person_names.append((named.entity_id, named.name))
                self._near_names = None
        elif _REVERSED.search(named.name):
            if not known:
                if node.latin_order is None:
                    node.latin_order = set()
                node.latin_order.add(named.entity_id)
        elif node.latin_order is not None:
            node.latin_order.discard(named.entity_id)
        self.size += 1
        if named.number is not None:
            self.entity_numbers[named.entity_id] = named.number
            if named.kind in ("unit", "facility") and not any(
                    e.entity_id == named.entity_id for e in self.numbers.get(named.number, ())):
                self.add_numbered(named.number, NumberedEntity(named.entity_id, named.kind, None))

    @property
    def near_names(self) -> NearNames:
        """The Arabic names of the registry's persons, for OCR-misread names (`ocr_names`);
        indexed on first use."""
        if self._near_names is None:
            self._near_names = NearNames()
            for entity_id, name in self._person_names:
                self._near_names.add(entity_id, name)
        return self._near_names

    def add_numbered(self, number: str, entity: NumberedEntity) -> None:
        if entity not in self.numbers[number]:
            self.numbers[number].append(entity)

    @classmethod
    def from_store(cls, conn: Connection, key: Callable[[str], str] | None = None) -> Gazetteer:
        """Every name of every entity in the registry, with the numbers of units."""
        gazetteer = cls(key=key)
        query = select(entities.c.id, entities.c.kind, entities.c.name, entities.c.number,
                       entities.c.unit_type)
        for row in conn.execute(query):
            number = str(row.number) if row.number else None
            if number is not None and row.kind in ("unit", "facility"):
                gazetteer.add_numbered(number, NumberedEntity(int(row.id), str(row.kind),
                                                              row.unit_type))
            gazetteer.add(Named(int(row.id), str(row.kind), str(row.name), number))
        names = select(entity_names.c.entity_id, entity_names.c.name, entities.c.kind,
                       entities.c.number).join(entities, entities.c.id == entity_names.c.entity_id)
        for name_row in conn.execute(names):
            gazetteer.add(Named(int(name_row.entity_id), str(name_row.kind), str(name_row.name),
                                str(name_row.number) if name_row.number else None))
        return gazetteer

    # -- matching ---------------------------------------------------------------------------

    def keys_of(self, text: str, tokens: list[Token]) -> list[tuple[str, int, int]]:
        """(key, start, end) of each name part of ``text``, in order.

        Parts are words, except that an article, "Abd"/"عبد" and "Abu"/"أبو" are joined to
        the word after them and "al-Din"/"الله" to the word before, as ``name_key`` reads names
        ("Abd al-Rahman", "عبد الرحمن" and "Abdul Rahman" are one part, key "bdrhmn").
        """
        cache = self._keys
        if len(cache) > _KEY_CACHE_LIMIT:
            cache.clear()
        keyed: list[tuple[str, int, int]] = []
        count = len(tokens)
        index = 0
        while index < count:
            term, start, end = tokens[index]
            if term[0].isdigit():
                keyed.append((term, start, end))
                index += 1
                continue
            word = text[start:end]
            entry = cache.get(word)
            if entry is None:
                entry = cache[word] = self._word_entry(word)
            joins, key = entry
            merge_before = joins == _JOIN_BEFORE
            if joins in (_ARTICLE, _COMPOUND) and index + 1 < count and not self._gap_breaks(
                    text, end, tokens[index + 1][1]):
                take = self._take(text, tokens, index, joins)
                end = tokens[index + take - 1][2]
                key = self._key(text[start:end])
                merge_before = take > 1 and compact_word(text[start:end]) in JOIN_BEFORE
                index += take
            else:
                index += 1
            if merge_before and keyed and len(text[keyed[-1][1]:keyed[-1][2]]) > 1 and (
                    not self._gap_breaks(text, keyed[-1][2], start)):
                previous = keyed.pop()
                start = previous[1]
                key = self._key(text[start:end])
            if key:
                keyed.append((key, start, end))
        return keyed

    def _word_entry(self, word: str) -> tuple[int, str]:
        """How a word joins its neighbours, and its own key."""
        norm = normalize(word).strip(".")
        if len(norm) == 1 and norm.isalpha():
            return 0, norm  # an initial: "J. Hassan"
        if norm in ARTICLES or norm in SUN_ARTICLES:
            return _ARTICLE, ""
        if norm in ABD or norm in KUNYA:
            return _COMPOUND, self._key(word)
        if compact_word(word) in JOIN_BEFORE:
            return _JOIN_BEFORE, self._key(word)
        return 0, self._key(word)

    def _take(self, text: str, tokens: list[Token], index: int, joins: int) -> int:
        """How many words a joining word takes (itself included)."""
        if joins == _ARTICLE:
            word = text[tokens[index][1]:tokens[index][2]]
            if normalize(word) in SUN_ARTICLES and text[tokens[index][2]:tokens[index][2] + 1
                                                       ] != "-":
                return 1  # "as", "an", "at" as words, not articles
            return 2
        follow = index + 1
        nxt = normalize(text[tokens[follow][1]:tokens[follow][2]])
        if (nxt in ARTICLES or nxt in SUN_ARTICLES) and follow + 1 < len(tokens) and (
                not self._gap_breaks(text, tokens[follow][2], tokens[follow + 1][1])):
            return 3
        return 2

    @staticmethod
    def _gap_breaks(text: str, start: int, end: int) -> bool:
        gap = text[start:end]
        return bool(gap) and gap != " " and bool(_BREAK.search(gap) or "." in gap)

    def find(self, text: str, tokens: list[Token] | None = None, *, ocr: bool = False
             ) -> list[Found]:
        """Registry names in ``text``, leftmost-longest, as mentions; ``ocr``: the text was
        read by OCR, a word of a name may be misread (see the module)."""
        keyed = self.keys_of(text, analyze(text) if tokens is None else tokens)
        root = self._root
        found: list[Found] = []
        count = len(keyed)
        index = 0
        while index < count:
            node = root.get(keyed[index][0])
            loose: tuple[str, str] | None = None  # (as written, as registered)
            if node is None and ocr:
                node, loose = self._near_first(text, keyed[index])
            if node is None:
                index += 1
                continue
            first_loose = loose is not None
            # a first word of three letters read loosely ("تجن" for سجن) stands only before a
            # word of four letters or more read as registered ("تجن عدرا")
            short_first = first_loose and len(compact_word(text[keyed[index][1]:keyed[index][2]])
                                              ) < _LOOSE_SHORTEST
            best: tuple[int, dict[int, str], tuple[str, str] | None] | None = None
            last = index
            while True:
                if node.entities is not None:
                    if loose is None:
                        allowed = self._allowed(text, keyed, index, last, node)
                    else:
                        allowed = {e: k for e, k in node.entities.items() if k != "person"}
                    if allowed and (last > index and not (short_first and len(compact_word(
                            text[keyed[index + 1][1]:keyed[index + 1][2]])) < _LOOSE_SHORTEST)
                            or not first_loose and any(k != "person" for k in allowed.values())):
                        best = (last, allowed, loose)
                last += 1
                if last >= count or not node.children or self._broken(text, keyed, last):
                    break
                child = node.children.get(keyed[last][0])
                if child is None and ocr and loose is None:
                    child, loose = self._near_child(text, keyed[last], node)
                if child is None:
                    break
                node = child
            if best is None:
                index += 1
                continue
            end_index, matched, read_loosely = best
            if end_index == index:  # one word: never a person
                matched = {e: k for e, k in matched.items() if k != "person"}
            mention = self._mention(text, keyed[index][1], keyed[end_index][2], matched)
            if read_loosely is not None:
                mention.score = 0.75
                mention.link_score = mention.link_score and min(mention.link_score, 0.8)
                mention.attributes["ocr_read_as"] = {"written": read_loosely[0],
                                                     "registry": read_loosely[1]}
            found.append(mention)
            index = end_index + 1
        return found

    def _near_first(self, text: str, keyed_word: tuple[str, int, int]
                    ) -> tuple[_Node | None, tuple[str, str] | None]:
        """The one first word of a unit's or facility's name that an OCR'd word may be a
        misreading of (one edit; see the module)."""
        key, start, end = keyed_word
        written = compact_word(text[start:end])
        if key[0].isdigit() or len(written) < _LOOSE_SHORTEST_FIRST:
            return None, None
        near = {(spelled, first_key) for variant in deletions(written)
                for spelled, first_key in self._first_words.get(variant, ())
                if edit_distance(written, spelled, 1) is not None}
        if len({first_key for _, first_key in near}) != 1:
            return None, None
        spelled, first_key = min(near)
        return self._root.get(first_key), (text[start:end], spelled)

    @staticmethod
    def _near_child(text: str, keyed_word: tuple[str, int, int], node: _Node
                    ) -> tuple[_Node | None, tuple[str, str] | None]:
        """The one name word after ``node`` that an OCR'd word may be a misreading of."""
        key, start, end = keyed_word
        if key[0].isdigit() or len(node.children) > _LOOSE_BRANCHES:
            return None, None
        written = compact_word(text[start:end])
        if len(written) < _LOOSE_SHORTEST:
            return None, None
        near: list[tuple[_Node, str]] = []
        for child in node.children.values():
            for spelled in child.words or ():
                limit = 2 if min(len(spelled), len(written)) >= _LOOSE_TWO_EDITS else 1
                if len(spelled) >= _LOOSE_SHORTEST \
                        and edit_distance(written, spelled, limit) is not None:
                    near.append((child, spelled))
                    break
        if len(near) != 1:
            return None, None
        return near[0][0], (text[start:end], near[0][1])

    @staticmethod
    def _allowed(text: str, keyed: list[tuple[str, int, int]], first: int, last: int,
                 node: _Node) -> dict[int, str]:
        """The entities of a terminal that the words as written may name (see the module)."""
        assert node.entities is not None
        allowed = Gazetteer._allowed_names(text, keyed, first, last, node)
        if node.place_forms is None or "place" not in allowed.values():
            return allowed
        written = _form(text, keyed[first:last + 1])
        proper = ARABIC_LETTER.search(text, keyed[first][1], keyed[last][2]) is not None or _proper(
            text, keyed, first, last)
        return {e: k for e, k in allowed.items()
                if k != "place" or (proper and written in node.place_forms.get(e, ()))}

    @staticmethod
    def _allowed_names(text: str, keyed: list[tuple[str, int, int]], first: int, last: int,
                       node: _Node) -> dict[int, str]:
        assert node.entities is not None
        span = text[keyed[first][1]:keyed[last][2]]
        if not ARABIC_LETTER.search(span):
            if any(k == "person" for k in node.entities.values()) and not _capitalised(
                    text, keyed, first, last):
                return {e: k for e, k in node.entities.items() if k != "person"}
            return node.entities
        forms, reversed_only = node.forms or {}, node.latin_order or set()
        if not forms and not reversed_only:
            return node.entities
        written = _form(text, keyed[first:last + 1])
        return {e: k for e, k in node.entities.items()
                if (written in forms[e] if e in forms else e not in reversed_only)}

    @staticmethod
    def _broken(text: str, keyed: list[tuple[str, int, int]], position: int) -> bool:
        """Whether a name may not run from token ``position - 1`` on to ``position``."""
        gap = text[keyed[position - 1][2]:keyed[position][1]]
        if not gap or gap == " ":
            return False
        if _BREAK.search(gap):
            return True
        # a full stop ends a name unless it follows an initial ("J. Hassan")
        previous = keyed[position - 1]
        return "." in gap and previous[2] - previous[1] > 1

    def _mention(self, text: str, start: int, end: int, matched: dict[int, str]) -> Found:
        kinds = set(matched.values())
        kind = next(k for k in KIND_PRIORITY if k in kinds)
        candidates = sorted(e for e, k in matched.items() if k == kind)
        found = Found(kind, start, end, text[start:end], EXTRACTOR, 0.9)
        if len(candidates) == 1:
            found.entity_id = candidates[0]
            found.link_score = 1.0 if len(kinds) == 1 else 0.7
            found.value = self.entity_numbers.get(candidates[0])
        else:
            found.attributes["candidates"] = candidates
            found.link_score = None
        return found
