"""The units of the registry that victim lists name as perpetrators.

Lists write the perpetrator as they know him: "الفرع ٢١٥", "Branch 215", "branche 215", or only
the agency ("Military Intelligence"). Counted as written, one unit is several perpetrators.
Each distinct text is looked up among the registry's units (`find_entities`: the same name
key in any script, or the same number); when one unit is the same as it (the lookup's own
decision) and no other unit is, the text counts as that unit, under the registry's name for
it. Texts the registry does not resolve, or resolves to several units, count as written.

Lists hold few distinct perpetrators; the ``MOST_LOOKED_UP`` most frequent are looked up (the
rest count as written), so that a list of free text stays quick to count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection

from dossier.registry.entities import UNIT_KINDS
from dossier.registry.lookup import find_entities

MOST_LOOKED_UP = 2_000


def resolve_perpetrators(conn: Connection, texts: Iterable[str]) -> dict[str, str]:
    """Each text (as written, once per record) that names one registry unit → that unit's
    name."""
    resolved: dict[str, str] = {}
    for text, _ in Counter(texts).most_common(MOST_LOOKED_UP):
        same = {match.entity_id: match.name
                for kind in UNIT_KINDS for match in find_entities(conn, text, kind, limit=5)
                if match.decision == "same"}
        if len(same) == 1:
            resolved[text] = next(iter(same.values()))
    return resolved
