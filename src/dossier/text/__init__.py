"""One normaliser for everyone: search, extraction, name matching and record linkage.

They must agree on what "the same word" is, so Arabic normalisation, Latin folding, light
stemming and tokenisation live here and nowhere else.
"""

from dossier.text.arabic import normalize_arabic, stem_arabic
from dossier.text.latin import fold_latin, strip_plural
from dossier.text.normalize import normalize
from dossier.text.tokens import (
    Token,
    analyze,
    index_term,
    index_text,
    normalized_words,
)

__all__ = [
    "Token",
    "analyze",
    "fold_latin",
    "index_term",
    "index_text",
    "normalize",
    "normalize_arabic",
    "normalized_words",
    "stem_arabic",
    "strip_plural",
]
