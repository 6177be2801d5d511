"""`dossier verify`: re-hash every original, re-check derived text and the custody chain."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from dossier.custody import log as custody
from dossier.custody.seal import check_seals, seal
from dossier.store.schema import items, pages
from dossier.workspace import Workspace


@dataclass(frozen=True)
class Problem:
    """One thing that does not match; `where` names the item, page or event precisely."""

    kind: str  # original | page | custody | signature
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "message": self.message}


@dataclass
class VerifyReport:
    originals: int = 0
    pages: int = 0
    events: int = 0
    head_seq: int = 0
    head_hash: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "originals": self.originals, "pages": self.pages,
                "events": self.events, "head": {"seq": self.head_seq, "hash": self.head_hash},
                "problems": [problem.as_dict() for problem in self.problems]}


def verify(workspace: Workspace, on_item: Callable[[int], None] | None = None) -> VerifyReport:
    report = VerifyReport()
    blobs = workspace.blobs
    last = 0
    while True:
        with workspace.engine.connect() as conn:
            rows = conn.execute(select(items.c.id, items.c.sha256, items.c.path)
                                .where(items.c.id > last).order_by(items.c.id).limit(1000)).all()
        if not rows:
            break
        for row in rows:
            report.originals += 1
            where = f"item {row.id} ({row.path})"
            if not blobs.exists(row.sha256):
                report.problems.append(Problem("original", where,
                                               f"the original {row.sha256} is missing"))
            else:
                actual = blobs.hash_stored(row.sha256)
                if actual != row.sha256:
                    report.problems.append(Problem(
                        "original", where, f"the original was altered: it hashes to {actual}, "
                                           f"recorded {row.sha256}"))
            if on_item is not None:
                on_item(row.id)
        last = rows[-1].id
    _verify_pages(workspace, report)
    with workspace.engine.connect() as conn:
        chain_problems, report.head_seq, report.head_hash = custody.verify_chain(conn)
        report.events = report.head_seq
        report.problems += [Problem("custody", f"event {p.seq}", p.message)
                            for p in chain_problems]
        report.problems += [Problem("signature", f"event {p.seq}", p.message)
                            for p in check_seals(conn, workspace.signer.public_key_hex)]
    with workspace.engine.begin() as conn:
        custody.append(conn, "verified", actor=workspace.actor, details={
            "ok": report.ok, "originals": report.originals, "pages": report.pages,
            "problems": len(report.problems),
            "checked_head": {"seq": report.head_seq, "hash": report.head_hash}})
        if report.ok:
            seal(conn, workspace.signer)
    return report


def _verify_pages(workspace: Workspace, report: VerifyReport) -> None:
    """Each page's text against its hash, and each item's page hashes against custody.

    The second check catches text edited together with its stored hash: the digest of the
    page hashes was written into the item's "derived" custody event, which is chained.
    """
    with workspace.engine.connect() as conn:
        recorded = {event.item_id: event.details.get("pages_sha256")
                    for event in custody.events(conn) if event.action == "derived"}
    hashes: dict[int, list[str]] = {}
    last_item, last_number = 0, 0
    while True:
        with workspace.engine.connect() as conn:
            rows = conn.execute(
                select(pages.c.item_id, pages.c.number, pages.c.text, pages.c.text_sha256)
                .where((pages.c.item_id > last_item)
                       | ((pages.c.item_id == last_item) & (pages.c.number > last_number)))
                .order_by(pages.c.item_id, pages.c.number).limit(2000)).all()
        if not rows:
            break
        for row in rows:
            report.pages += 1
            hashes.setdefault(row.item_id, []).append(row.text_sha256)
            if hashlib.sha256(row.text.encode("utf-8")).hexdigest() != row.text_sha256:
                report.problems.append(Problem(
                    "page", f"item {row.item_id} page {row.number}",
                    "the derived text was edited after extraction"))
        last_item, last_number = rows[-1].item_id, rows[-1].number
    for item_id, page_hashes in hashes.items():
        expected = recorded.get(item_id)
        if expected is not None and custody.pages_digest(page_hashes) != expected:
            report.problems.append(Problem(
                "page", f"item {item_id}", "the derived pages differ from those recorded in "
                                           "custody when the item was extracted"))
