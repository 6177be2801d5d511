"""Full-text search over pages: the query language, the Tantivy index and highlighting.

Arabic first: queries and pages go through the same ``dossier.text`` analysis, so spelling
variants, vowel marks, digits and attached articles do not hide a page.
"""

from dossier.search.index import ANALYSIS_VERSION, SearchIndex, SearchIndexError
from dossier.search.model import Hit, PageDoc, SearchResults
from dossier.search.query import ParsedQuery, QuerySyntaxError, parse_query

__all__ = [
    "ANALYSIS_VERSION",
    "Hit",
    "PageDoc",
    "ParsedQuery",
    "QuerySyntaxError",
    "SearchIndex",
    "SearchIndexError",
    "SearchResults",
    "parse_query",
]
