"""A backup of the conversations and the booking requests, and putting one back.

What is kept: the tracker store (Rasa's `events` table: every conversation) and the
booking outbox (`requests`: what is waiting for, or was sent to, the booking system;
the hand-over and console tables live beside it). In production both are one
PostgreSQL database (docs/deploy.md): `pg_dump -Fc` takes it in one snapshot, so the
conversations and the requests in the backup are of the same moment, while the
servers keep running. On one machine they are SQLite files: each is copied with
SQLite's online backup API, which gives a consistent copy of a file in use.

A backup is a directory `clinic-<UTC time>/` with one file per database and
`manifest.json` (when, what, each file's size and SHA-256, the rows it holds).
Restoring checks the files against the manifest, then replaces the databases'
contents: stop the servers first (a restore is for a new, empty database after the
old one was lost, or to go back to a known state).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Sequence

import sqlalchemy as sa

from booking.outbox import is_postgres_url

MANIFEST = "manifest.json"
# The tables counted in the manifest (and after a restore), when the database has them.
COUNTED = ("events", "requests")


@dataclass(frozen=True)
class Source:
    """A database to back up: what it holds ("tracker", "outbox") and where it is."""

    holds: str  # "tracker", "outbox" or "tracker+outbox" (one database for both)
    location: str  # a postgresql:// URL or a SQLite file's path

    @property
    def is_postgres(self) -> bool:
        """True for PostgreSQL, False for a SQLite file."""
        return is_postgres_url(self.location)

    @property
    def file_name(self) -> str:
        """Its file in a backup directory."""
        return self.holds + (".dump" if self.is_postgres else ".db")


def sources(tracker_url: str, outbox: str | Path) -> List[Source]:
    """The databases behind the tracker store's URL and the outbox (one if shared)."""
    tracker = tracker_url.removeprefix("sqlite:///")
    outbox = str(outbox)
    if _same_database(tracker, outbox):
        return [Source("tracker+outbox", tracker)]
    return [Source("tracker", tracker), Source("outbox", outbox)]


def _same_database(one: str, other: str) -> bool:
    if is_postgres_url(one) and is_postgres_url(other):
        a, b = sa.engine.make_url(one), sa.engine.make_url(other)
        return (a.host, a.port or 5432, a.database) == (
            b.host,
            b.port or 5432,
            b.database,
        )
    return one == other


def create(into: Path, databases: Sequence[Source]) -> Path:
    """Backs up `databases` into a new directory under `into`; returns it."""
    began = time.monotonic()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = into / f"clinic-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    os.chmod(target, 0o700)  # patients' data
    files = []
    for source in databases:
        path = target / source.file_name
        if source.is_postgres:
            dump = [_pg("pg_dump"), "-Fc", "--no-owner", "-f", str(path)]
            _run(*dump, url=source.location)
        else:
            _sqlite_copy(Path(source.location), path)
        os.chmod(path, 0o600)
        files.append(
            {
                **asdict(source),
                "location": _without_password(source.location),
                "file": path.name,
                "bytes": path.stat().st_size,
                "sha256": _sha256(path),
                "rows": row_counts(source.location),
            }
        )
    manifest = {
        "created_at": stamp,
        "seconds": round(time.monotonic() - began, 2),
        "databases": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return target


def restore(backup: Path, databases: Sequence[Source]) -> Dict[str, Dict[str, int]]:
    """Puts the backup's databases back into `databases`; the rows each now holds.

    Each of `databases` takes the backup's file for what it holds; a PostgreSQL
    database must exist (it may be empty), a SQLite file is replaced.
    """
    manifest = json.loads((backup / MANIFEST).read_text())
    by_holds = {entry["holds"]: entry for entry in manifest["databases"]}
    restored = {}
    for source in databases:
        entry = by_holds.get(source.holds)
        if entry is None:
            raise ValueError(f"{backup} has no {source.holds} database.")
        path = backup / entry["file"]
        if _sha256(path) != entry["sha256"]:
            raise ValueError(f"{path} does not match its manifest: not restored.")
        if source.is_postgres != path.name.endswith(".dump"):
            raise ValueError(f"{path} cannot be restored into {source.holds}'s store.")
        if source.is_postgres:
            _run(
                _pg("pg_restore"), "--clean", "--if-exists", "--no-owner",
                "--no-privileges", "--single-transaction", "--exit-on-error",
                str(path), url=source.location,
            )  # fmt: skip
        else:
            _sqlite_copy(path, Path(source.location))
        restored[source.holds] = row_counts(source.location)
    return restored


def row_counts(location: str) -> Dict[str, int]:
    """The rows of the counted tables the database has (`events`, `requests`)."""
    url = location if is_postgres_url(location) else f"sqlite:///{location}"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            present = set(sa.inspect(connection).get_table_names())
            return {
                table: connection.execute(
                    sa.text(f"SELECT count(*) FROM {table}")  # noqa: S608 - ours
                ).scalar_one()
                for table in COUNTED
                if table in present
            }
    finally:
        engine.dispose()


def _sqlite_copy(source: Path, target: Path) -> None:
    # SQLite's backup API copies a consistent state even while servers write to it;
    # written beside the target and renamed, so the target is never half-written.
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(source)) as origin,
        closing(sqlite3.connect(partial)) as copy,
    ):
        origin.backup(copy)
    for suffix in ("-wal", "-shm"):  # the old file's journal must not be applied
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(partial, target)


def _pg(tool: str) -> str:
    """PostgreSQL's client tool: on PATH, else the newest of Debian's."""
    found = shutil.which(tool)
    if found:
        return found
    for bin_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bin_dir / tool).exists():
            return str(bin_dir / tool)
    raise FileNotFoundError(f"{tool} is missing: install PostgreSQL's client tools.")


def _run(*command: str, url: str) -> None:
    # The password goes in the environment, not on the command line (ps shows that).
    parsed = sa.engine.make_url(url)
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    dbname = str(parsed.set(password=None, drivername="postgresql"))
    result = subprocess.run(  # noqa: S603 - PostgreSQL's own tools
        [*command, f"--dbname={dbname}"], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr[-2000:]}")


def _without_password(location: str) -> str:
    if not is_postgres_url(location):
        return location
    return sa.engine.make_url(location).render_as_string(hide_password=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
