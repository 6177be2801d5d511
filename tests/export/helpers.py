"""A small case built by the tests themselves: originals in the blob store, their pages, a
suspect, a protected witness named in Arabic and Latin, charges and evidence."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import insert, select

from dossier.cases.casefile import add_charge, add_evidence, add_suspect, create_case
from dossier.custody import log as custody
from dossier.registry.entities import add_entity
from dossier.store.schema import acquisitions, collections, items, mentions, pages
from dossier.workspace import Workspace, utcnow

CASE = "test-251"
SUSPECT = "Jamil Hassan"
SUSPECT_AR = "جميل حسن"
WITNESS = "Samer Khalil"
WITNESS_AR = "سامر خليل"
WITNESS_SPELLINGS = (WITNESS, WITNESS_AR, "سامر الخليل", "SAMER KHALIL", "Samer al-Khalil")
ARABIC_QUOTE = "تعرض المعتقلون للتعذيب في الفرع 251 بأمر من العميد جميل حسن"


@dataclass
class Built:
    case: str
    items: dict[str, int]  # label -> item id
    witness: int
    suspect: int


def add_original(workspace: Workspace, path: str, data: bytes, texts: list[str],
                 collection: str = "leak", acquired_from: str | None = "an insider") -> int:
    """An original stored bit for bit, registered as ingest would, with its pages."""
    sha256, size = workspace.blobs.put_bytes(data)
    now = utcnow()
    with workspace.engine.begin() as conn:
        collection_id = conn.scalar(select(collections.c.id).where(
            collections.c.name == collection))
        if collection_id is None:
            collection_id = conn.execute(insert(collections).values(
                name=collection, created_at=now)).inserted_primary_key[0]
        acquisition_id = conn.execute(insert(acquisitions).values(
            collection_id=collection_id, acquired_from=acquired_from, acquired_by="tester",
            sources="[]", resume_key=hashlib.sha256(path.encode()).hexdigest(),
            started_at=now)).inserted_primary_key[0]
        item_id = int(conn.execute(insert(items).values(
            collection_id=collection_id, sha256=sha256, size=size, media_type="text",
            mime="text/plain", path=path, acquisition_id=acquisition_id, depth=0,
            stage="indexed", status="ok", page_count=len(texts), created_at=now,
            updated_at=now)).inserted_primary_key[0])
        custody.append(conn, "acquired", actor="tester", item_id=item_id, sha256=sha256,
                       details={"path": path, "size": size, "acquisition": acquisition_id})
        for number, text in enumerate(texts, start=1):
            conn.execute(insert(pages).values(
                item_id=item_id, number=number, text=text,
                text_sha256=hashlib.sha256(text.encode()).hexdigest(), method="text",
                tool="test", indexed=False))
        custody.append(conn, "derived", actor="tester", item_id=item_id,
                       details={"pages": len(texts)})
    return item_id


def build_case(workspace: Workspace) -> Built:
    """Three exhibits: one that names the protected witness (in Arabic and in Latin), one
    Arabic order naming only the suspect, one photo without text."""
    with workspace.engine.begin() as conn:
        suspect = add_entity(conn, "person", SUSPECT, names=[SUSPECT_AR], actor="tester")
        witness = add_entity(conn, "person", WITNESS, names=[WITNESS_AR], protected=True,
                             actor="tester")
    statement = add_original(
        workspace, "statements/statement-12.txt", b"statement of an insider\n",
        [f"إفادة: قال سامر الخليل إن {ARABIC_QUOTE}.",
         f"Statement taken from SAMER KHALIL on 3 May 2013. He saw {SUSPECT} give orders."])
    order = add_original(workspace, "orders/أمر-اعتقال-251.txt", "أمر اعتقال\n".encode(),
                         [ARABIC_QUOTE])
    photo = add_original(workspace, "photos/IMG_0001.jpg", bytes(range(256)) * 64, [],
                         collection="photos", acquired_from="a photographer")
    with workspace.engine.begin() as conn:  # the extractor linked a mention to the witness
        page_id, text = conn.execute(select(pages.c.id, pages.c.text).where(
            pages.c.item_id == statement, pages.c.number == 2)).one()
        start = text.index("SAMER")
        conn.execute(insert(mentions).values(
            page_id=page_id, item_id=statement, page_number=2, char_start=start,
            char_end=start + len("SAMER KHALIL"), text="SAMER KHALIL", kind="person",
            extractor="test", score=1.0, entity_id=witness))
    create_case(workspace.engine, CASE, "Torture at Branch 251", author="tester")
    add_suspect(workspace.engine, CASE, suspect, author="tester")
    charge = add_charge(workspace.engine, CASE, suspect, "rome", "7-1-f", "28-a",
                        author="tester")
    add_evidence(workspace.engine, CASE, charge.id, "7-1-f.severe-pain", order, page=1,
                 quote=ARABIC_QUOTE, assessment="An order in his name.", author="tester")
    add_evidence(workspace.engine, CASE, charge.id, "7-1-f.severe-pain", statement, page=1,
                 quote=f"قال سامر الخليل إن {ARABIC_QUOTE}", source="insider statement",
                 assessment=f"{WITNESS} is credible.", author="tester")
    add_evidence(workspace.engine, CASE, charge.id, "7-1-f.custody", photo,
                 region={"x": 1, "y": 2, "width": 30, "height": 40}, author="tester")
    return Built(CASE, {"statement": statement, "order": order, "photo": photo}, witness,
                 suspect)
