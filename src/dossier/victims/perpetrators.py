"""The units of the registry that victim lists name as perpetrators.

Lists write the perpetrator as they know him: "الفرع ٢١٥", "Branch 215", "branche 215", or only
the agency. Counted as written, one unit is several perpetrators. A text counts as a registry
unit (or facility) when it is one of that unit's names, compared by name key (`name_key`: any
script, spelling variants alike; it leaves numbers out) and by number (`number_in`: the same
number, or none on either side), and no other unit has that name; it is then counted under the
registry's name for the unit. A text that is no unit's name, or several units', counts as
written: a number alone ("Hospital 215", "checkpoint at km 227") never makes it a unit's, nor
does a text naming two units.

Lists hold few distinct perpetrators; the ``MOST_LOOKED_UP`` most frequent are looked up, in
one query per ``_CHUNK`` keys (the rest count as written), so that counting stays quick.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, select

from dossier.registry.entities import UNIT_KINDS, number_in
from dossier.store.schema import entities, entity_names
from dossier.text import name_key

MOST_LOOKED_UP = 2_000
_CHUNK = 500
_NUMBERS = re.compile(r"\d+")


def resolve_perpetrators(conn: Connection, texts: Iterable[str]) -> dict[str, str]:
    """Each text (as written, once per record) that is the name of one registry unit → that
    unit's name."""
    keyed = {text: (name_key(text), number_in(text))
             for text, _ in Counter(texts).most_common(MOST_LOOKED_UP)}
    keys = sorted({key for key, _ in keyed.values() if key})
    # (name key, number) -> unit id -> the unit's name
    units: dict[tuple[str, str | None], dict[int, str]] = defaultdict(dict)
    for at in range(0, len(keys), _CHUNK):
        query = (select(entity_names.c.key, entity_names.c.name, entities.c.id,
                        entities.c.name.label("display"))
                 .join(entities, entities.c.id == entity_names.c.entity_id)
                 .where(entity_names.c.key.in_(keys[at:at + _CHUNK]),
                        entities.c.kind.in_(UNIT_KINDS)))
        for row in conn.execute(query):
            units[(row.key, number_in(row.name))][row.id] = row.display
    return {text: next(iter(units[found].values())) for text, found in keyed.items()
            if len(units.get(found, {})) == 1 and len(_NUMBERS.findall(text)) <= 1}
