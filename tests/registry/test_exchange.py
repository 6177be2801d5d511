"""Registry import and export: CSV and FollowTheMoney round-trips; bad rows reported."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from dossier.custody.log import events
from dossier.registry.entities import add_entity, add_names
from dossier.registry.exchange import export_registry, import_files
from dossier.registry.importing import IMPORT_ACTION, export_rows
from dossier.workspace import Workspace

from .helpers import add_item, post


def _build(conn) -> None:
    agency = add_entity(conn, "unit", "Military Intelligence", unit_type="agency",
                        names=[("شعبة المخابرات العسكرية", "ar", "alias")])
    branch = add_entity(conn, "unit", "Branch 235", unit_type="branch", number=235,
                        parent_id=agency, names=["فرع فلسطين", "Palestine Branch"])
    prison = add_entity(conn, "facility", "Saydnaya Military Prison", unit_type="prison")
    person = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"],
                        attributes={"birth_date": "1953"})
    add_names(conn, person, [("أبو علي", "ar", "kunya")])
    place = add_entity(conn, "place", "Damascus", names=["دمشق"])
    item = add_item(conn, "leak/order.txt", ["head of the Palestine branch"])
    post(conn, person, branch, valid_from="2012-03-04", valid_to="2012-03-04",
         precision="within", item_id=item, page=1, quote="head of the Palestine branch")
    post(conn, person, branch, valid_from="2010", valid_to="2013", status="accepted")
    from dossier.registry.claims import ClaimDraft, Source, add_claims
    add_claims(conn, [
        ClaimDraft(person, "has_rank", (Source(citation="HRW report 2015, p. 4"),),
                   value="Brigadier General", valid_from="2012", valid_to="2012",
                   time_precision="within", confidence=0.8),
        ClaimDraft(person, "resides_in", (Source(citation="witness 17"),), object_id=place),
        ClaimDraft(prison, "subordinate_to", (Source(citation="a decree"),), object_id=agency)])


def _snapshot(conn):
    entity_rows, claim_rows = export_rows(conn)
    entities = sorted((e.id, e.kind, e.name, sorted(n if isinstance(n, str) else n[0]
                                                    for n in e.names),
                       e.unit_type, e.number, e.parent, e.attributes.get("birth_date"))
                      for e in entity_rows)
    claims = sorted((c.subject, c.predicate, c.object or "", c.role or "", c.value or "",
                     c.valid_from or "", c.valid_to or "", c.precision, c.confidence, c.status,
                     sorted((s.page or 0, s.quote or "", s.citation or "") for s in c.sources))
                    for c in claim_rows)
    return entities, claims


def _fresh(tmp_path: Path, name: str, database_url: str | None) -> Workspace:
    if database_url is None:
        return Workspace.init(tmp_path / name)
    return Workspace.init(tmp_path / name, database=database_url)


def test_ftm_and_csv_round_trips(workspace, tmp_path: Path) -> None:
    with workspace.engine.begin() as conn:
        _build(conn)
        original = _snapshot(conn)
        export_registry(conn, "ftm", tmp_path / "out" / "registry.jsonl", actor="alice")
        export_registry(conn, "csv", tmp_path / "out" / "csv", actor="alice")
    lines = [json.loads(line) for line in
             (tmp_path / "out" / "registry.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {line["schema"] for line in lines} >= {"Person", "Organization", "Address",
                                                  "Employment", "UnknownLink"}
    for fmt, paths in (("ftm", [tmp_path / "out" / "registry.jsonl"]),
                       ("csv", [tmp_path / "out" / "csv" / "claims.csv",
                                tmp_path / "out" / "csv" / "entities.csv"])):
        # the same schema on PostgreSQL would be shared: a second workspace uses SQLite
        other = _fresh(tmp_path, f"ws-{fmt}", None)
        try:
            report = import_files(other.engine, paths, actor="bob")
            assert report.problems == [], report.problems
            with other.engine.begin() as conn:
                imported = _snapshot(conn)
            # the item is not in the new workspace: its page and quote travel as a citation
            assert imported[0] == original[0]
            assert [c[:10] for c in imported[1]] == [c[:10] for c in original[1]]
            again = import_files(other.engine, paths, actor="bob")
            assert (again.entities, again.claims, again.sources) == (0, 0, 0)
            with other.engine.connect() as conn:
                actions = [e.action for e in events(conn)]
            assert actions.count(IMPORT_ACTION) == 2 * len(paths)
        finally:
            other.close()
    with workspace.engine.connect() as conn:
        exported = [e for e in events(conn) if e.action == "exported"]
    assert [e.details["format"] for e in exported] == ["ftm", "csv"]


def test_bad_rows_are_reported_with_file_line_and_field(workspace, tmp_path: Path) -> None:
    entities = tmp_path / "entities.csv"
    entities.write_text(
        "id,kind,name,names,unit_type,number,parent,birth_date,attributes\n"
        "P1,person,Jamil Hassan,جميل حسن|Jameel al-Hasan,,,,1953-01-01,\n"
        "U1,unit,Branch 251,الفرع ٢٥١,branch,251,,,\n"
        "X1,vehicle,Truck,,,,,,\n"
        "U2,unit,Battalion 7,,battalion,,,,\n"
        ",person,Nobody,,,,,,\n"
        "U3,unit,Section 1,,section,,P1,,\n", encoding="utf-8")
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "subject,predicate,object,role,value,valid_from,valid_to,precision,confidence,status,"
        "source_item,source_page,quote,citation\n"
        "P1,holds_post,U1,head,,2012-03-04,2012-03-04,within,,,,,,order 17\n"
        "P1,tortured,U1,,,,,,,,,,,order 18\n"
        "P1,holds_post,U9,head,,2012,2013,exact,,,,,,order 19\n"
        "P1,holds_post,U1,head,,March 2012,,exact,,,,,,order 20\n"
        "P1,holds_post,U1,head,,2013,2012,exact,,,,,,order 21\n", encoding="utf-8")
    report = import_files(workspace.engine, [claims, entities], actor="alice")
    found = {(Path(p.file).name, p.line, p.field) for p in report.problems}
    assert found == {("entities.csv", 4, "kind"), ("entities.csv", 5, "unit_type"),
                     ("entities.csv", 6, "id"), ("entities.csv", 7, "parent"),
                     ("claims.csv", 3, "predicate"), ("claims.csv", 4, "object"),
                     ("claims.csv", 5, "valid_from"), ("claims.csv", 6, "valid_from")}
    assert (report.entities, report.claims) == (3, 1)
    assert any("battalion" in str(p) for p in report.problems)
    from dossier.store.schema import entities as table
    with workspace.engine.connect() as conn:
        assert conn.scalar(select(table.c.attributes)
                           .where(table.c.external_id == "P1")) == '{"birth_date": "1953-01-01"}'
        logged = [e for e in events(conn) if e.action == IMPORT_ACTION]
    assert logged[-1].details["problem_count"] == 4


def test_ftm_from_elsewhere_without_dossier_summary(workspace, tmp_path: Path) -> None:
    path = tmp_path / "opensanctions.ftm.json"
    rows = [
        {"id": "os-p", "schema": "Person", "properties": {"name": ["Jamil Hassan"],
                                                          "alias": ["جميل حسن"]}},
        {"id": "os-o", "schema": "Organization", "properties": {
            "name": ["Air Force Intelligence Directorate"], "classification": ["agency"]}},
        {"id": "os-e", "schema": "Employment", "properties": {
            "employee": ["os-p"], "employer": ["os-o"], "role": ["head"],
            "startDate": ["2009"], "endDate": ["2019"],
            "sourceUrl": ["https://example.org/sanctions"]}},
        {"id": "os-x", "schema": "Nonsense", "properties": {}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    report = import_files(workspace.engine, [path], actor="alice")
    assert [(p.line, p.field) for p in report.problems] == [(4, "schema"), (5, "line")]
    with workspace.engine.connect() as conn:
        [claim] = export_rows(conn)[1]
    assert (claim.predicate, claim.role, claim.valid_from, claim.valid_to, claim.precision) == (
        "holds_post", "head", "2009", "2019", "exact")
    assert claim.sources[0].citation == "https://example.org/sanctions"


def test_ftm_dates_are_cut_to_their_day_and_vague_ones_reported(workspace,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.ftm.json"
    rows = [
        {"id": "p", "schema": "Person", "properties": {
            "name": ["Jamil Hassan"], "birthDate": ["1952-03-12T00:00:00"]}},
        {"id": "o", "schema": "Organization", "properties": {"name": ["Branch 251"]}},
        {"id": "e1", "schema": "Employment", "properties": {
            "employee": ["p"], "employer": ["o"], "role": ["head"],
            "startDate": ["2011-04-01T00:00:00"], "endDate": ["2012-01-31T09:30:00Z"]}},
        {"id": "e2", "schema": "Employment", "properties": {
            "employee": ["p"], "employer": ["o"], "role": ["deputy"],
            "date": ["2010-06-01T00:00:00", "2010"]}},
        {"id": "e3", "schema": "Employment", "properties": {
            "employee": ["p"], "employer": ["o"], "role": ["head"], "endDate": ["spring 2011"]}},
        {"id": "e4", "schema": "Membership", "properties": {
            "member": ["p"], "organization": ["o"], "date": ["2011-13-01"]}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = import_files(workspace.engine, [path], actor="alice")
    assert [(p.line, p.field) for p in report.problems] == [(5, "endDate"), (6, "date")]
    assert "spring 2011" in str(report.problems[0])
    with workspace.engine.connect() as conn:
        entity_rows, claim_rows = export_rows(conn)
    assert entity_rows[0].attributes == {"birth_date": "1952-03-12"}
    assert [(c.role, c.valid_from, c.valid_to, c.precision) for c in claim_rows] == [
        ("head", "2011-04-01", "2012-01-31", "exact"), ("deputy", "2010", "2010", "within")]


def test_csv_claims_with_a_coarser_end_or_a_bad_date(workspace, tmp_path: Path) -> None:
    entities = tmp_path / "entities.csv"
    entities.write_text("id,kind,name,unit_type\nP1,person,Jamil Hassan,\n"
                        "U1,unit,Branch 251,branch\n", encoding="utf-8")
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "subject,predicate,object,role,valid_from,valid_to,citation\n"
        "P1,holds_post,U1,head,2012-03,2012,order 1\n"
        "P1,holds_post,U1,deputy,2012-05-01,2012-05,order 2\n"
        "P1,holds_post,U1,head,2011-04-01T00:00:00,,order 3\n"
        "P1,holds_post,U1,head,2012,2011-12-31,order 4\n", encoding="utf-8")
    report = import_files(workspace.engine, [entities, claims], actor="alice")
    assert [(p.line, p.field) for p in report.problems] == [(4, "valid_from"), (5, "valid_from")]
    assert report.claims == 2
