"""The server's durable state: an SQLite database and the upload and result folders.

Layout of ``data_dir``::

    byteit.sqlite3              jobs, schemas, idempotency records (WAL mode)
    uploads/<job_id>/<name>     the uploaded document (a custom job's: <n>/<name> each)
    results/<job_id>/           extraction.json, and rendered results cached per format
                                (a custom job's: one folder per document, and its result)

One connection serves every thread behind a lock: the server's writes are tiny,
and a single writer can never meet "database is locked".
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .records import (
    CustomJobRecord,
    ExtractJobRecord,
    IdempotencyRecord,
    ParseJobRecord,
    SavedSchemaRecord,
)

__all__ = ["Storage", "utc_now"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS parse_jobs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL,
    progress INTEGER NOT NULL, message TEXT, nickname TEXT, result_format TEXT NOT NULL,
    processing_error TEXT, processing_options TEXT NOT NULL, input_connector TEXT NOT NULL,
    output_connector TEXT NOT NULL, metadata TEXT NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, started_processing_at TEXT, finished_processing_at TEXT,
    processing_time_seconds REAL, credits_cost REAL, file_path TEXT NOT NULL,
    original_filename TEXT NOT NULL, document_type TEXT NOT NULL,
    input_connection_data TEXT, output_connection_data TEXT
);
CREATE INDEX IF NOT EXISTS parse_jobs_owner ON parse_jobs (owner);
CREATE TABLE IF NOT EXISTS extract_jobs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL,
    progress INTEGER NOT NULL, message TEXT, input_job_id TEXT NOT NULL, nickname TEXT,
    extraction_schema TEXT NOT NULL, extraction_complexity TEXT NOT NULL,
    processing_error TEXT, processing_time_seconds REAL, credits_cost REAL, result TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_processing_at TEXT,
    finished_processing_at TEXT
);
CREATE INDEX IF NOT EXISTS extract_jobs_owner ON extract_jobs (owner);
CREATE TABLE IF NOT EXISTS custom_jobs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL,
    progress INTEGER NOT NULL, message TEXT, nickname TEXT, extraction_schema TEXT,
    user_prompt TEXT, file_names TEXT NOT NULL, document_types TEXT NOT NULL,
    file_paths TEXT NOT NULL, total_page_count INTEGER, processing_error TEXT,
    processing_time_seconds REAL, credits_cost REAL, result_name TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_processing_at TEXT,
    finished_processing_at TEXT
);
CREATE INDEX IF NOT EXISTS custom_jobs_owner ON custom_jobs (owner, created_at);
CREATE TABLE IF NOT EXISTS schemas (
    owner TEXT NOT NULL, name TEXT NOT NULL, schema_json TEXT NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (owner, name)
);
CREATE TABLE IF NOT EXISTS idempotency (
    owner TEXT NOT NULL, key TEXT NOT NULL, operation TEXT NOT NULL,
    job_ids TEXT NOT NULL, failed_files TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (owner, key)
);
"""

# Columns added after the first release: a data directory made before them gains them.
_ADDED_COLUMNS = {"parse_jobs": ("input_connection_data", "output_connection_data")}

# Table and column names in f-strings below come from this module, never from a request.
_JSON_COLUMNS = frozenset(
    {
        "processing_options",
        "metadata",
        "extraction_schema",
        "result",
        "schema_json",
        "job_ids",
        "failed_files",
        "input_connection_data",
        "output_connection_data",
        "file_names",
        "document_types",
        "file_paths",
    }
)
_UNFINISHED = ("pending", "processing")
_JOB_TABLES = ("parse_jobs", "extract_jobs", "custom_jobs")


def utc_now(timespec: str = "milliseconds") -> str:
    """The current time as ISO 8601 UTC ending in ``Z``."""
    return utc_stamp(datetime.now(timezone.utc), timespec)


def utc_stamp(moment: datetime, timespec: str = "milliseconds") -> str:
    """``moment`` (aware) as ISO 8601 UTC ending in ``Z``, e.g. ``2024-03-15T09:30:00.000Z``."""
    return moment.astimezone(timezone.utc).isoformat(timespec=timespec).replace("+00:00", "Z")


class Storage:
    """Jobs, schemas and idempotency records of every owner, kept in ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.uploads_dir = data_dir / "uploads"
        self.results_dir = data_dir / "results"
        for folder in (self.uploads_dir, self.results_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            data_dir / "byteit.sqlite3", check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        for table, columns in _ADDED_COLUMNS.items():
            present = {row["name"] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for column in columns:
                if column not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def upload_dir(self, job_id: str) -> Path:
        """The folder holding a job's uploaded document."""
        return self.uploads_dir / job_id

    def result_dir(self, job_id: str) -> Path:
        """The folder holding a job's results."""
        return self.results_dir / job_id

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_decode(row) for row in rows]

    # Jobs -----------------------------------------------------------------

    def insert_jobs(
        self,
        parse_jobs: Sequence[ParseJobRecord] = (),
        extract_jobs: Sequence[ExtractJobRecord] = (),
        idempotency: IdempotencyRecord | None = None,
        custom_jobs: Sequence[CustomJobRecord] = (),
    ) -> None:
        """Insert jobs, and the idempotency record naming them, in one transaction.

        A custom job's ``created_at`` is moved just past its owner's newest one
        if need be, so no two share a time and the ``before`` cursor skips none.
        """
        with self._transaction() as db:
            for parse_job in parse_jobs:
                _insert(db, "parse_jobs", parse_job.to_row())
            for extract_job in extract_jobs:
                _insert(db, "extract_jobs", extract_job.to_row())
            for custom_job in custom_jobs:
                custom_job.created_at = _after_newest(db, custom_job)
                _insert(db, "custom_jobs", custom_job.to_row())
            if idempotency is not None:
                _insert(db, "idempotency", idempotency.to_row())

    def get_parse_job(self, job_id: str, owner: str | None = None) -> ParseJobRecord | None:
        """A parse job, or None when unknown (or not ``owner``'s, when given)."""
        rows = self._select_job("parse_jobs", job_id, owner)
        return ParseJobRecord.from_row(rows[0]) if rows else None

    def get_extract_job(self, job_id: str, owner: str | None = None) -> ExtractJobRecord | None:
        """An extract job, or None when unknown (or not ``owner``'s, when given)."""
        rows = self._select_job("extract_jobs", job_id, owner)
        return ExtractJobRecord.from_row(rows[0]) if rows else None

    def _select_job(self, table: str, job_id: str, owner: str | None) -> list[dict[str, Any]]:
        if owner is None:
            return self._query(f"SELECT * FROM {table} WHERE id = ?", (job_id,))  # noqa: S608
        sql = f"SELECT * FROM {table} WHERE id = ? AND owner = ?"  # noqa: S608 (fixed names)
        return self._query(sql, (job_id, owner))

    def get_custom_job(self, job_id: str, owner: str | None = None) -> CustomJobRecord | None:
        """A custom job, or None when unknown (or not ``owner``'s, when given)."""
        rows = self._select_job("custom_jobs", job_id, owner)
        return CustomJobRecord.from_row(rows[0]) if rows else None

    def list_custom_jobs(
        self, owner: str, *, before: str | None, limit: int
    ) -> list[CustomJobRecord]:
        """At most ``limit`` of an owner's custom jobs created before ``before``, newest first.

        ``before`` is a stamp as :func:`utc_stamp` writes it with microseconds,
        the form custom jobs' ``created_at`` is stored in, so strings compare as times.
        """
        sql = "SELECT * FROM custom_jobs WHERE owner = ? AND created_at < ?"
        params = (owner, before if before is not None else "~")  # '~' sorts after any digit
        rows = self._query(f"{sql} ORDER BY created_at DESC LIMIT ?", (*params, limit))
        return [CustomJobRecord.from_row(row) for row in rows]

    def list_parse_jobs(self, owner: str) -> list[ParseJobRecord]:
        """An owner's parse jobs, newest first."""
        rows = self._query("SELECT * FROM parse_jobs WHERE owner = ? ORDER BY rowid DESC", (owner,))
        return [ParseJobRecord.from_row(row) for row in rows]

    def list_extract_jobs(self, owner: str) -> list[ExtractJobRecord]:
        """An owner's extract jobs, newest first."""
        rows = self._query(
            "SELECT * FROM extract_jobs WHERE owner = ? ORDER BY rowid DESC", (owner,)
        )
        return [ExtractJobRecord.from_row(row) for row in rows]

    def unfinished_job_ids(self, table: str) -> list[str]:
        """Ids of jobs of ``table`` still pending or processing, oldest first."""
        assert table in _JOB_TABLES
        rows = self._query(
            f"SELECT id FROM {table} WHERE status IN (?, ?) ORDER BY rowid",  # noqa: S608
            _UNFINISHED,
        )
        return [str(row["id"]) for row in rows]

    def update_job(self, table: str, job_id: str, changes: Mapping[str, object]) -> None:
        """Set columns of a job, and its ``updated_at``."""
        assert table in _JOB_TABLES
        values = {**changes, "updated_at": utc_now()}
        assignments = ", ".join(f"{column} = ?" for column in values)
        params = [_encode(column, value) for column, value in values.items()]
        with self._transaction() as db:
            sql = f"UPDATE {table} SET {assignments} WHERE id = ?"  # noqa: S608 (fixed names)
            db.execute(sql, (*params, job_id))

    # Idempotency ----------------------------------------------------------

    def get_idempotency(self, owner: str, key: str) -> IdempotencyRecord | None:
        """The record of the first request an owner sent with ``key``, if any."""
        rows = self._query("SELECT * FROM idempotency WHERE owner = ? AND key = ?", (owner, key))
        return IdempotencyRecord.from_row(rows[0]) if rows else None

    # Saved schemas --------------------------------------------------------

    def insert_schema(self, record: SavedSchemaRecord) -> bool:
        """Save a schema; False when the owner already has one of that name."""
        try:
            with self._transaction() as db:
                _insert(db, "schemas", record.to_row())
        except sqlite3.IntegrityError:
            return False
        return True

    def get_schema(self, owner: str, name: str) -> SavedSchemaRecord | None:
        """An owner's schema by name."""
        rows = self._query("SELECT * FROM schemas WHERE owner = ? AND name = ?", (owner, name))
        return SavedSchemaRecord.from_row(rows[0]) if rows else None

    def list_schemas(self, owner: str) -> list[SavedSchemaRecord]:
        """An owner's schemas, by name."""
        rows = self._query("SELECT * FROM schemas WHERE owner = ? ORDER BY name", (owner,))
        return [SavedSchemaRecord.from_row(row) for row in rows]

    def delete_schema(self, owner: str, name: str) -> bool:
        """Delete a schema; False when there was none."""
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM schemas WHERE owner = ? AND name = ?", (owner, name))
        return cursor.rowcount > 0


def _insert(db: sqlite3.Connection, table: str, row: Mapping[str, object]) -> None:
    columns = ", ".join(row)
    placeholders = ", ".join("?" for _ in row)
    params = [_encode(column, value) for column, value in row.items()]
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (fixed names)
    db.execute(sql, params)


def _after_newest(db: sqlite3.Connection, job: CustomJobRecord) -> str:
    row = db.execute(
        "SELECT MAX(created_at) FROM custom_jobs WHERE owner = ?", (job.owner,)
    ).fetchone()
    newest = row[0] if row is not None else None
    if newest is None or job.created_at > newest:
        return job.created_at
    later = datetime.fromisoformat(newest.replace("Z", "+00:00")) + timedelta(microseconds=1)
    return utc_stamp(later, "microseconds")


def _encode(column: str, value: object) -> object:
    if column in _JSON_COLUMNS and value is not None:
        return json.dumps(value)
    return value


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    decoded = dict(row)
    for column in _JSON_COLUMNS.intersection(decoded):
        if decoded[column] is not None:
            decoded[column] = json.loads(decoded[column])
    return decoded
