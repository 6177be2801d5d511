"""One normaliser for everyone: search, extraction, name matching and record linkage.

They must agree on what "the same word" is, so Arabic normalisation, Latin folding, light
stemming and tokenisation live here and nowhere else; and on what "the same name" is, so
romanisation, name parsing, name keys, spelling variants and name matching live here too.
"""

from dossier.text.arabic import european_digits, has_arabic, normalize_arabic, stem_arabic
from dossier.text.latin import fold_latin, strip_plural
from dossier.text.name_match import (
    DIFFERENT_THRESHOLD,
    SAME_THRESHOLD,
    NameFeature,
    NameMatch,
    match_names,
)
from dossier.text.names import ParsedName, name_key, name_variants, parse_name
from dossier.text.normalize import normalize
from dossier.text.romanize import romanize, token_key
from dossier.text.tokens import (
    Token,
    analyze,
    index_term,
    index_text,
    normalized_words,
)

__all__ = [
    "DIFFERENT_THRESHOLD",
    "SAME_THRESHOLD",
    "NameFeature",
    "NameMatch",
    "ParsedName",
    "Token",
    "analyze",
    "european_digits",
    "fold_latin",
    "has_arabic",
    "index_term",
    "index_text",
    "match_names",
    "name_key",
    "name_variants",
    "normalize",
    "normalize_arabic",
    "normalized_words",
    "parse_name",
    "romanize",
    "stem_arabic",
    "strip_plural",
    "token_key",
]
