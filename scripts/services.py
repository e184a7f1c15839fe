"""Throwaway PostgreSQL and Redis servers on 127.0.0.1 for tests and the load harness.

Each starts from Debian's binaries (`make postgres`, `make redis` install them), keeps
its data in a directory of the caller's, listens on a free loopback port and is stopped
when the `with` block ends. Nothing here is used by the product itself.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List

from scripts.servers import ServerError, free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass(frozen=True)
class Postgres:
    """Where a throwaway PostgreSQL listens and how to log in."""

    host: str
    port: int
    user: str
    password: str
    database: str
    data_dir: Path

    @property
    def url(self) -> str:
        """A libpq / SQLAlchemy URL (postgresql://user:password@host:port/database)."""
        return (
            f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/"
            f"{self.database}"
        )

    def connect(self, database: str | None = None, **options: object) -> Any:
        """A psycopg2 connection to `database` (default: this one's), as `user`."""
        import psycopg2

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=database or self.database,
            **options,
        )

    def env(self) -> dict:
        """The DB_* variables endpoints.prod.yml reads."""
        return {
            "DB_HOST": self.host,
            "DB_PORT": str(self.port),
            "DB_NAME": self.database,
            "DB_USER": self.user,
            "DB_PASSWORD": self.password,
        }


def _postgres_binary(name: str) -> str:
    for candidate in (POSTGRES_BIN / name, shutil.which(name)):
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise ServerError(f"PostgreSQL's {name} is missing: run `make postgres`.")


def _as_postgres_user(command: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


def postgres_home(workdir: Path) -> Path:
    """Where the cluster lives: workdir, or (as root) a directory `postgres` can reach.

    Test directories are often private to root (pytest's are 0700), and PostgreSQL runs
    as `postgres`: as root the cluster goes to a directory of its own under /tmp, named
    after workdir so that a restart finds it again.
    """
    if os.geteuid() != 0:
        return workdir
    digest = hashlib.sha256(str(workdir.resolve()).encode()).hexdigest()[:12]
    home = Path(tempfile.gettempdir()) / f"clinic-postgres-{digest}"
    home.mkdir(mode=0o700, exist_ok=True)
    _chown_to_postgres(home)
    return home


def start_postgres(workdir: Path, port: int | None = None) -> subprocess.Popen:
    """Starts (initialising on first use) a PostgreSQL for workdir; returns the process.

    Its log is workdir/postgres.log; its port is written to workdir/port.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    home = postgres_home(workdir)
    data = home / "pgdata"
    if not (data / "PG_VERSION").exists():
        password_file = home / "pwfile"
        password_file.write_text("clinic\n")
        _chown_to_postgres(password_file)
        initialised = subprocess.run(
            _as_postgres_user(
                [
                    _postgres_binary("initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "clinic",
                    f"--pwfile={password_file}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if initialised.returncode != 0:
            raise ServerError(f"initdb failed: {initialised.stderr.decode()[-1000:]}")
    port = port or free_port()
    (workdir / "port").write_text(str(port))
    # The child keeps the log open; our copy closes when the `with` ends.
    with open(workdir / "postgres.log", "ab") as log:
        return subprocess.Popen(
            _as_postgres_user(
                [
                    _postgres_binary("postgres"),
                    "-D",
                    str(data),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-k",
                    str(home),
                    "-c",
                    "max_connections=200",
                    "-c",
                    "fsync=on",
                ]
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_postgres(workdir: Path) -> None:
    """Fast shutdown of workdir's PostgreSQL: sessions cut, as if its host failed."""
    data = postgres_home(workdir) / "pgdata"
    subprocess.run(
        _as_postgres_user(
            [_postgres_binary("pg_ctl"), "stop", "-D", str(data), "-m", "fast"]
        ),
        check=True,
        capture_output=True,
    )


def wait_for_postgres(
    info: Postgres, process: subprocess.Popen, seconds: float
) -> None:
    """Waits until PostgreSQL accepts logins (or raises ServerError)."""
    import psycopg2

    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise ServerError("PostgreSQL stopped at start: see its postgres.log")
        try:
            info.connect("postgres", connect_timeout=2).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise ServerError("PostgreSQL did not accept logins in time") from None
            time.sleep(0.2)


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Stops a server process politely, then firmly."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def throwaway_postgres(workdir: Path, database: str = "clinic") -> Iterator[Postgres]:
    """A PostgreSQL of our own on 127.0.0.1 with an empty `database`; stopped after."""
    process = start_postgres(workdir)
    port = int((workdir / "port").read_text())
    home = postgres_home(workdir)
    info = Postgres("127.0.0.1", port, "clinic", "clinic", database, home / "pgdata")
    try:
        wait_for_postgres(info, process, 60)
        admin = info.connect("postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{database}"')
        admin.close()
        yield info
    finally:
        stop(process)
        if home != workdir:
            shutil.rmtree(home, ignore_errors=True)


@contextmanager
def throwaway_redis(workdir: Path, port: int | None = None) -> Iterator[str]:
    """A Redis of our own on 127.0.0.1, no persistence; yields its redis:// URL."""
    server = shutil.which("redis-server")
    if server is None:
        raise ServerError("redis-server is missing: run `make redis`.")
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    process = start_redis(workdir, port)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_redis(url, process, 30)
        yield url
    finally:
        stop(process)


def start_redis(workdir: Path, port: int) -> subprocess.Popen:
    """Starts redis-server on 127.0.0.1:port without persistence."""
    with open(workdir / "redis.log", "ab") as log:
        return subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for_redis(url: str, process: subprocess.Popen, seconds: float) -> None:
    """Waits until Redis answers PING (or raises ServerError)."""
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise ServerError("redis-server stopped at start")
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise ServerError("redis-server did not start in time") from None
            time.sleep(0.1)
