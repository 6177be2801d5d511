"""Record linkage: which victim records, within and across lists, refer to the same person.

`link_records` reads the records from the store, derives the columns the model compares
(`dossier.victims.linkage_settings`), and has Splink train and run the model on a backend:
DuckDB in this process by default, Spark (a local session, or a cluster's) when the data outgrow
one machine. The settings are built once; a backend only executes them.

The model's results become machine judgements on pairs of records ("v:<id>"):

- a pair at or above the threshold is judged "same", with its match probability as the score,
  unless the cluster guard (`dossier.victims.clusters.ClusterGuard`) refuses the link: joining
  the links strongest first, a link that would put into one victim records that contradict
  each other (given or father's name, year of birth) is judged "unsure", with the reason;
- a pair under the threshold but inside the review band is judged "unsure";
- pairs inside the review band, either side of the threshold, and the links the guard refused
  make the review queue (`dossier.victims.review`).

A run replaces the machine judgements of the run before it (they are the output of a model
whose settings are kept in ``linkage_runs``, not anyone's decision) and never touches human
judgements, which win over the machine on every pair they name. The victims are then rebuilt
from all judgements (`dossier.victims.clusters`).
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update

from dossier.registry.judgements import record_judgement, victim_record_ref
from dossier.store.schema import judgements, linkage_runs, victim_records
from dossier.victims.clusters import (
    GUARD_REASON,
    ClusterGuard,
    HeldJudgement,
    RecordClusters,
    RecordProfile,
    held_judgements,
    rebuild_links,
)
from dossier.victims.linkage_settings import (
    DERIVED_COLUMNS,
    SOURCE_COLUMNS,
    LinkageSettings,
    Parameters,
    derive_row,
    em_rules,
    prior_rule,
    splink_settings,
    trained_parameters,
)
from dossier.workspace import Workspace, utcnow

__all__ = ["BACKENDS", "LinkageError", "LinkageReport", "cluster_guard", "guarded_clusters",
           "link_records", "linkage_table", "score_pairs", "train_model"]

BACKENDS = ("duckdb", "spark")
MACHINE_AUTHOR = "dossier linkage"
_READ_BATCH = 20_000
_IN_BATCH = 500  # record ids in one IN (...) list
_GUARD_SETTINGS = ("guard", "guard_birth_years", "guard_per_list", "guard_sex")
_WRITE_BATCH = 50_000
_EXACT_COUNT_RECORDS = 300_000

Progress = Callable[[str], None]


class LinkageError(RuntimeError):
    """A linkage that cannot run as asked (unknown backend, engine missing)."""


@dataclass
class LinkageReport:
    run_id: int
    backend: str
    records: int = 0
    pairs_scored: int = 0  # pairs the blocking rules let through
    pairs_linked: int = 0  # machine "same" judgements
    pairs_unsure: int = 0  # machine "unsure" judgements
    pairs_for_review: int = 0  # pairs inside the review band (either verdict)
    victims: int = 0
    refused: int = 0  # machine links a human "not_same" kept apart
    guarded: int = 0  # machine links the cluster guard refused (judged "unsure", for review)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# -- reading the records ------------------------------------------------------------------------

_TYPES = {"int64": pa.int64(), "string": pa.string(), "list<string>": pa.list_(pa.string())}
_SCHEMA = pa.schema([(name, _TYPES[kind]) for name, kind in DERIVED_COLUMNS.items()])


def linkage_table(engine: Engine) -> pa.Table:
    """Every victim record as one row of the columns the model compares."""
    columns = [victim_records.c[name] for name in SOURCE_COLUMNS]
    with engine.connect() as conn:
        result = conn.execute(select(*columns).order_by(victim_records.c.id)
                              .execution_options(yield_per=_READ_BATCH))
        return _derived(result.mappings().partitions())


def _records_table(conn: Connection, ids: Sequence[int]) -> pa.Table:
    """The victim records ``ids`` as `linkage_table` has them, read _IN_BATCH at a time."""
    columns = [victim_records.c[name] for name in SOURCE_COLUMNS]
    return _derived(conn.execute(select(*columns).where(victim_records.c.id.in_(
        ids[start:start + _IN_BATCH]))).mappings().all() for start in range(0, len(ids),
                                                                              _IN_BATCH))


def _derived(parts: Iterable[Sequence[Any]]) -> pa.Table:
    batches = [pa.RecordBatch.from_pylist([derive_row(cast("Mapping[str, Any]", row))
                                           for row in part], schema=_SCHEMA)
               for part in parts]
    return pa.Table.from_batches(batches, schema=_SCHEMA)


# -- where the model runs -----------------------------------------------------------------------


@contextmanager
def _duckdb_api() -> Iterator[Any]:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(":memory:")
    with tempfile.TemporaryDirectory(prefix="dossier-duckdb-") as spill:
        connection.execute(f"SET temp_directory = '{spill}'")
        connection.execute("SET preserve_insertion_order = false")
        try:
            yield DuckDBAPI(connection=connection)
        finally:
            connection.close()


@contextmanager
def _spark_api() -> Iterator[Any]:
    """A local Spark session (two cores, no UI, nothing reachable from outside) unless one is
    running already, as on a cluster, where the active session is used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark on pandas 3
            from pyspark.sql import SparkSession
            from splink import SparkAPI
            from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise LinkageError("the spark backend needs pyspark (pip install pyspark) and "
                           "Java 17 or later") from exc
    active = SparkSession.getActiveSession()
    with tempfile.TemporaryDirectory(prefix="dossier-spark-") as scratch:
        if active is not None:
            spark = active
        else:
            spark = (SparkSession.builder.master("local[2]").appName("dossier-linkage")
                     .config("spark.ui.enabled", "false")
                     .config("spark.ui.showConsoleProgress", "false")
                     .config("spark.driver.host", "127.0.0.1")
                     .config("spark.driver.bindAddress", "127.0.0.1")
                     .config("spark.sql.shuffle.partitions", "2")
                     .config("spark.default.parallelism", "2")
                     .config("spark.local.dir", scratch)
                     .config("spark.sql.warehouse.dir", f"{scratch}/warehouse")
                     .config("spark.jars", similarity_jar_location())
                     .getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")
        spark.sparkContext.setCheckpointDir(f"{scratch}/checkpoints")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                yield SparkAPI(spark_session=spark, num_partitions_on_repartition=2,
                               break_lineage_method="persist")
        finally:
            if active is None:
                spark.stop()


def _backend(name: str) -> Any:
    if name == "duckdb":
        return _duckdb_api()
    if name == "spark":
        return _spark_api()
    raise LinkageError(f"unknown backend {name!r}; one of {', '.join(BACKENDS)}")


@dataclass
class ScoredPairs:
    pairs: pa.Table  # left, right (record ids, left < right), probability
    scored: int  # pairs compared
    parameters: Parameters | None  # the trained model's numbers


def _train(linker: Any, settings: LinkageSettings, say: Progress) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [prior_rule()], recall=settings.prior_recall)
    training.estimate_u_using_random_sampling(max_pairs=settings.u_max_pairs,
                                              seed=settings.seed, num_chunks=1)
    for rule in em_rules(settings):
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=settings.em_max_pairs)
        except ValueError as exc:
            # Splink refuses an m probability that underflowed to 0 (a level no match
            # reached, as in small data): the session's estimates are dropped and the model
            # keeps those it had.
            say(f"EM session on {rule} skipped: {exc}")


def train_model(table: pa.Table, settings: LinkageSettings, *, backend: str = "duckdb",
                progress: Progress | None = None) -> Parameters:
    """Train the model on ``table`` and return its numbers (`trained_parameters`)."""
    from splink import Linker

    say = progress or (lambda _message: None)
    with _backend(backend) as db_api:
        frame = db_api.register(table, table_name="dossier_victim_records")
        linker = Linker(frame, splink_settings(settings), log_level=logging.ERROR)
        say(f"training the model on {table.num_rows:,} records ({backend})")
        _train(linker, settings, say)
        return trained_parameters(linker.misc.save_model_to_json())


def score_pairs(table: pa.Table, settings: LinkageSettings, *, backend: str = "duckdb",
                parameters: Parameters | None = None, progress: Progress | None = None,
                timings: dict[str, float] | None = None) -> ScoredPairs:
    """Score the blocked pairs of ``table`` and keep those at or above
    ``settings.lowest_kept``; with a model trained elsewhere (``parameters``), or trained here
    first."""
    from splink import Linker

    say = progress or (lambda _message: None)
    clock = timings if timings is not None else {}
    empty = pa.table({"left": pa.array([], pa.int64()), "right": pa.array([], pa.int64()),
                      "probability": pa.array([], pa.float64())})
    if table.num_rows < 2:
        return ScoredPairs(empty, 0, parameters)
    with _backend(backend) as db_api:
        started = time.perf_counter()
        frame = db_api.register(table, table_name="dossier_victim_records")
        linker = Linker(frame, splink_settings(settings, parameters), log_level=logging.ERROR)
        if parameters is None:
            say(f"training the model on {table.num_rows:,} records ({backend})")
            _train(linker, settings, say)
            parameters = trained_parameters(linker.misc.save_model_to_json())
        clock["train"] = clock.get("train", 0.0) + time.perf_counter() - started
        started = time.perf_counter()
        say(f"scoring the blocked pairs ({backend})")
        predictions = linker.inference.predict(
            threshold_match_probability=settings.lowest_kept, warning_mode="never")
        kept = predictions.query_sql(
            "select unique_id_l as left_id, unique_id_r as right_id, "
            "match_probability as probability from {this}").as_pyarrow_table()
        clock["predict"] = time.perf_counter() - started
        started = time.perf_counter()
        # exact up to a few hundred thousand records; beyond, estimated from a sample
        sample = min(1.0, _EXACT_COUNT_RECORDS / table.num_rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a rare rule's sample is small
            counts = linker.blocking_analysis.count_comparisons_from_blocking_rules(
                record_sample_proportion=sample)
        scored = int(counts[-1]["cumulative_comparison_count"]) if counts else 0
        clock["count"] = time.perf_counter() - started
    pairs = pa.table({"left": kept.column("left_id").cast(pa.int64()),
                      "right": kept.column("right_id").cast(pa.int64()),
                      "probability": kept.column("probability").cast(pa.float64())})
    return ScoredPairs(pairs, scored, parameters)


# -- writing the results ------------------------------------------------------------------------


def _start_run(conn: Connection, backend: str, settings: LinkageSettings, author: str) -> int:
    result = conn.execute(insert(linkage_runs).values(
        backend=backend, settings=json.dumps(settings.as_dict()), records=0,
        started_at=utcnow(), author=author))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def cluster_guard(table: pa.Table, settings: LinkageSettings,
                  records: pa.Array | None = None) -> ClusterGuard:
    """The guard of ``settings`` over the records of ``table`` (those in ``records`` only,
    when given: the ones some link would join)."""
    wanted = table if records is None else table.filter(
        pc.is_in(table.column("unique_id"), value_set=records))
    names = ("given", "father", "grandfather", "family")
    columns = [wanted.column(name).to_pylist() for name in
               ("unique_id", "list_id", "sex", "birth_year",
                *(f"{part}_{form}" for part in names for form in ("key", "rom")))]
    profiles = {row[0]: RecordProfile(row[1], row[2], row[3], row[4:6], row[6:8], row[8:10],
                                      row[10:12])
                for row in zip(*columns, strict=True)}
    return ClusterGuard(profiles, birth_years=settings.guard_birth_years,
                        per_list=settings.guard_per_list, sex=settings.guard_sex)


def guarded_clusters(conn: Connection, around: Iterable[int] | None = None) -> RecordClusters:
    """The victims as the judgements held now say, the machine's links joined under the
    cluster guard of the latest linkage run's settings, as that run joined them: a person's
    "same" joins two victims whatever their records, and the machine's links that chain
    through it are checked against the records it brought together (a brother's record
    linked to one of them is not carried into the other's victim). What a human judgement
    rebuilds the victims with.

    With ``around`` (the records a new judgement names), only the records that "same"
    judgements connect to them are checked: elsewhere every link the guard refused is already
    judged "unsure" (by the linkage run or by `refuse_guarded`), so the victims there come out
    as they were, and a judgement costs the records of its victim, not of the workspace."""
    held = held_judgements(conn)
    recorded = conn.scalar(select(linkage_runs.c.settings)
                           .where(linkage_runs.c.finished_at.is_not(None))
                           .order_by(linkage_runs.c.id.desc()).limit(1))
    values = json.loads(recorded) if recorded else {}
    settings = LinkageSettings(**{name: values[name] for name in _GUARD_SETTINGS
                                  if name in values})
    guard = None
    if settings.guard:
        same = [(judgement.left, judgement.right) for judgement in held
                if judgement.verdict == "same"]
        linked = sorted({record for pair in same for record in pair} if around is None
                        else _connected(same, around))
        if linked:
            guard = cluster_guard(_records_table(conn, linked), settings)
    return RecordClusters.build(held, guard)


def _connected(pairs: Sequence[tuple[int, int]], around: Iterable[int]) -> set[int]:
    """The records that ``pairs`` connect, directly or through others, to ``around``."""
    neighbours: dict[int, list[int]] = {}
    for left, right in pairs:
        neighbours.setdefault(left, []).append(right)
        neighbours.setdefault(right, []).append(left)
    seen = set(around)
    stack = list(seen)
    while stack:
        for other in neighbours.get(stack.pop(), ()):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def refuse_guarded(conn: Connection, clusters: RecordClusters) -> None:
    """Write each machine link the guard refused in ``clusters`` as an "unsure" machine
    judgement with the guard's reason and the link's score, as a linkage run does, so that it
    waits in the review queue and later rebuilds refuse it too."""
    for (left, right), why in clusters.guarded.items():
        refs = (victim_record_ref(left), victim_record_ref(right))
        score = conn.scalar(
            select(judgements.c.score)
            .where(judgements.c.origin == "machine", judgements.c.verdict == "same",
                   or_(and_(judgements.c.left_ref == refs[0], judgements.c.right_ref == refs[1]),
                       and_(judgements.c.left_ref == refs[1], judgements.c.right_ref == refs[0])))
            .order_by(judgements.c.id.desc()).limit(1))
        record_judgement(conn, *refs, "unsure", author=f"{MACHINE_AUTHOR} guard",
                         origin="machine", score=score, reason=GUARD_REASON + why)


def _cluster(conn: Connection, table: pa.Table, scored: pa.Table, settings: LinkageSettings
             ) -> RecordClusters:
    """The victims from the people's judgements and this run's links, strongest first, under
    the cluster guard; the links it refused are in ``guarded``."""
    human = [j for j in held_judgements(conn) if j.origin == "human"]
    judged = {(j.left, j.right) for j in human}
    links = scored.filter(pc.greater_equal(scored.column("probability"),
                                                   settings.threshold))
    machine = []
    for number, (left, right, score) in enumerate(zip(
            links.column("left").to_pylist(), links.column("right").to_pylist(),
            links.column("probability").to_pylist(), strict=True)):
        pair = (left, right) if left < right else (right, left)
        if pair not in judged:
            machine.append(HeldJudgement(number, *pair, "same", "machine", score))
    guard = None
    if settings.guard:
        records = pa.concat_arrays([links.column("left").combine_chunks(),
                                    links.column("right").combine_chunks()])
        guard = cluster_guard(table, settings, records)
    return RecordClusters.build([*human, *machine], guard)


def _write_judgements(conn: Connection, scored: pa.Table, settings: LinkageSettings,
                      run_id: int, report: LinkageReport,
                      guarded: Mapping[tuple[int, int], str]) -> None:
    """Replace the machine judgements on victim records with this run's, in bulk; a link the
    guard refused is written "unsure", with the reason, and goes to the review queue."""
    conn.execute(delete(judgements).where(judgements.c.origin == "machine",
                                          judgements.c.left_ref.like("v:%"),
                                          judgements.c.right_ref.like("v:%")))
    low, high = settings.review_band
    now = utcnow()
    author = f"{MACHINE_AUTHOR} run {run_id}"
    batch: list[dict[str, Any]] = []
    lefts = scored.column("left").to_pylist()
    rights = scored.column("right").to_pylist()
    scores = scored.column("probability").to_pylist()
    for left, right, score in zip(lefts, rights, scores, strict=True):
        if left > right:
            left, right = right, left
        verdict = "same" if score >= settings.threshold else "unsure"
        refusal = guarded.get((left, right)) if verdict == "same" else None
        if refusal is not None:
            verdict = "unsure"
            report.guarded += 1
        if low <= score < high or refusal is not None:
            report.pairs_for_review += 1
        elif verdict == "unsure":
            continue
        if verdict == "same":
            report.pairs_linked += 1
        else:
            report.pairs_unsure += 1
        batch.append({"left_ref": victim_record_ref(left), "right_ref": victim_record_ref(right),
                      "verdict": verdict, "author": author, "origin": "machine",
                      "score": round(float(score), 6),
                      "reason": None if refusal is None else GUARD_REASON + refusal,
                      "created_at": now})
        if len(batch) >= _WRITE_BATCH:
            conn.execute(insert(judgements), batch)
            batch.clear()
    if batch:
        conn.execute(insert(judgements), batch)


def link_records(workspace: Workspace, *, backend: str = "duckdb",
                 train_backend: str | None = None,
                 threshold: float | None = None,
                 review_band: tuple[float, float] | None = None,
                 settings: LinkageSettings | None = None,
                 progress: Progress | None = None) -> LinkageReport:
    """Link the victim records of every list, write the judgements and rebuild the victims.

    ``settings`` gives every knob; ``threshold`` and ``review_band`` override its two that
    people change most. Human judgements are kept and win; machine ones are replaced.
    ``train_backend`` trains the model elsewhere than it is applied (on DuckDB, say, for a
    Spark run: training is many small jobs, which Spark runs slowly); by default the same.
    """
    for name in (backend, train_backend or backend):
        if name not in BACKENDS:
            raise LinkageError(f"unknown backend {name!r}; one of {', '.join(BACKENDS)}")
    base = settings or LinkageSettings()
    try:
        settings = LinkageSettings(
            **{**base.__dict__,
               "threshold": base.threshold if threshold is None else threshold,
               "review_band": base.review_band if review_band is None else review_band})
    except ValueError as exc:
        raise LinkageError(str(exc)) from exc
    say = progress or (lambda _message: None)
    with workspace.engine.begin() as conn:
        run_id = _start_run(conn, backend, settings, workspace.actor)
    report = LinkageReport(run_id=run_id, backend=backend)
    started = time.perf_counter()
    say("reading the records")
    table = linkage_table(workspace.engine)
    report.records = table.num_rows
    report.seconds["read"] = time.perf_counter() - started
    parameters = None
    if train_backend not in (None, backend) and table.num_rows >= 2:
        started = time.perf_counter()
        parameters = train_model(table, settings, backend=str(train_backend), progress=say)
        report.seconds["train"] = time.perf_counter() - started
    scored = score_pairs(table, settings, backend=backend, parameters=parameters,
                         progress=progress, timings=report.seconds)
    report.pairs_scored = scored.scored
    started = time.perf_counter()
    say(f"writing the judgements on {scored.pairs.num_rows:,} pairs and the victims")
    with workspace.engine.begin() as conn:
        clusters = _cluster(conn, table, scored.pairs, settings)
        _write_judgements(conn, scored.pairs, settings, run_id, report, clusters.guarded)
        counts = rebuild_links(conn, clusters)
        report.victims, report.refused = counts.victims, counts.refused
        recorded = {**settings.as_dict(), "train_backend": train_backend or backend,
                    "model": scored.parameters}
        conn.execute(update(linkage_runs).where(linkage_runs.c.id == run_id).values(
            settings=json.dumps(recorded), records=report.records, pairs_scored=report.pairs_scored,
            pairs_linked=report.pairs_linked, pairs_for_review=report.pairs_for_review,
            victims=report.victims, finished_at=utcnow()))
    report.seconds["write"] = time.perf_counter() - started
    return report
