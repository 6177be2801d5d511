"""The one normaliser: Arabic rules and Latin folding in a single pass over the text.

Every consumer (the search index and its queries, mention extraction, name matching, record
linkage) calls :func:`normalize`, so "أحمد" / "احمد", "٢٥١" / "251" and "Sécurité" /
"SECURITE" are the same string everywhere.
"""

from __future__ import annotations

import re
import unicodedata

from dossier.text.arabic import ARABIC_MAP, ARABIC_MARKS
from dossier.text.latin import LATIN_MAP, LATIN_MARKS

_MAP = {**LATIN_MAP, **ARABIC_MAP}
_TABLE = str.maketrans(_MAP)
_MARKS_RE = re.compile(f"[{LATIN_MARKS}{ARABIC_MARKS}]+")
_MAPPED_RE = re.compile("[" + "".join(map(re.escape, _MAP)) + "]")


def normalize(text: str) -> str:
    """Apply :func:`normalize_arabic` and :func:`fold_latin` together; idempotent.

    One pass instead of two because it runs over every page: casefold, then NFKD (which
    also splits "أ" into "ا" + hamza mark and turns presentation forms into letters), drop
    every mark, map the letters, digits and punctuation of ARABIC_MAP and LATIN_MAP, then
    NFC to put back together what other scripts need composed. Marks are dropped with a
    regex and the table is applied only when a mapped character is present, because
    str.translate costs a dictionary lookup per character even where nothing changes.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold()).casefold()
    if decomposed.isascii():
        return decomposed
    stripped = _MARKS_RE.sub("", decomposed)
    if _MAPPED_RE.search(stripped):
        stripped = stripped.translate(_TABLE)
    return unicodedata.normalize("NFC", stripped)
