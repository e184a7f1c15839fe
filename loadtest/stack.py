"""Starts the production-shaped stack on 127.0.0.1 and lets the harness break it.

PostgreSQL and Redis (scripts/services.py), the fake booking system (HTTPS, in this
process), one action server, the booking relay, two Rasa servers (`rasa run` with the
trained model, the REST, widget and WeChat channels) and Debian's nginx with
deploy/nginx/clinic.conf in front. Every piece can be stopped and started again on
the same port and data, which is what the fault phase does.
"""

from __future__ import annotations

import base64
import getpass
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import requests

from scripts.servers import (
    RASA,
    ROOT,
    ServerError,
    credentials_env,
    free_port,
    start_process,
    stop_process,
    wait_until_up,
)
from scripts.services import (
    Postgres,
    start_postgres,
    start_redis,
    stop,
    stop_postgres,
    throwaway_postgres,
    wait_for_postgres,
    wait_for_redis,
)
from tests.fakes.booking_system import FakeBookingSystem

NGINX_CONF = ROOT / "deploy" / "nginx" / "clinic.conf"
PROD_ENDPOINTS = ROOT / "endpoints.prod.yml"
# WeChat is on in safe mode (AES): the fault phase's users encrypt their messages as
# WeChat does; the fuzz phase sends plaintext, which a safe-mode account also takes.
WECHAT_TOKEN = "loadtest-" + secrets.token_hex(6)
WECHAT_APP_ID = "wx" + secrets.token_hex(8)
WECHAT_AES_KEY = base64.b64encode(secrets.token_bytes(32)).decode()[:43]
# Limits raised for load: 100 conversations from 100 addresses at test speed.
GUARD = {
    "GUARD_SENDER_RATE": "600/60",
    "GUARD_IP_RATE": "3000/60",
    "GUARD_MAX_BODY_BYTES": "65536",
}
# The Rasa server's health check (channels/health.py once merged, else Rasa's own).
RASA_HEALTH = "/health" if PROD_ENDPOINTS.exists() else "/"
# A server killed while holding a conversation's lock blocks it this long (Rasa's
# default is 60 s; a turn takes well under a second).
LOCK_LIFETIME_SECONDS = 10


@dataclass
class Service:
    """One process of the stack: how to start it again and where it answers."""

    name: str
    command: List[str]
    log: Path
    env: Dict[str, str]
    health: str
    process: subprocess.Popen | None = None

    def start(self, timeout: float = 240) -> None:
        """Starts the process and waits until its health URL answers."""
        self.process = start_process(self.command, self.log, self.env)
        if self.health:
            wait_until_up(self.health, self.process, self.log, timeout)

    def stop(self) -> None:
        """Stops it politely (SIGTERM to its group)."""
        if self.process is not None:
            stop_process(self.process)

    def cpu_seconds(self) -> float:
        """The CPU time (user + system) the process has used so far."""
        if self.process is None:
            return 0.0
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def freeze(self) -> None:
        """Stops it dead (SIGSTOP), as a hung process: connections stay open."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGSTOP)

    def kill(self) -> None:
        """Kills it with SIGKILL (kill -9), as a crash or the OOM killer would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Stack:
    """The running stack and its handles for the phases."""

    workdir: Path
    postgres: Postgres
    redis_url: str
    booking: FakeBookingSystem
    actions: Service
    relay: Service
    rasa: List[Service]
    url: str  # nginx
    token: str
    outbox: Path
    nginx_prefix: Path
    nginx: subprocess.Popen | None = None
    redis: subprocess.Popen | None = None
    postgres_process: subprocess.Popen | None = None  # once restarted
    rasa_ports: List[int] = field(default_factory=list)
    workers: int = 1

    def wechat_url(self) -> str:
        """The WeChat webhook behind nginx."""
        return f"{self.url}/webhooks/wechat/webhook"

    def restart_redis(self) -> None:
        """Stops Redis and starts it again on the same port (its locks are gone)."""
        assert self.redis is not None  # noqa: S101 - started by start_stack
        stop(self.redis)
        port = int(self.redis_url.rsplit(":", 1)[1].split("/")[0])
        self.redis = start_redis(self.workdir / "redis", port)
        wait_for_redis(self.redis_url, self.redis, 30)

    def restart_postgres(self) -> None:
        """Stops PostgreSQL (fast: sessions cut) and starts it on the same data."""
        stop_postgres(self.workdir / "postgres")
        self.postgres_process = start_postgres(
            self.workdir / "postgres", port=self.postgres.port
        )
        wait_for_postgres(self.postgres, self.postgres_process, 60)

    def use_servers(self, count: int) -> None:
        """Puts the first `count` Rasa servers behind nginx (reloads it)."""
        write_upstreams(self.nginx_prefix, self.rasa_ports[:count])
        reload_nginx(self.nginx_prefix)
        time.sleep(1)  # the old workers finish; new connections use the new list

    def healthy(self) -> Dict[str, bool]:
        """Which processes are still running and answering."""
        found = {}
        for service in [self.actions, *self.rasa]:
            try:
                found[service.name] = requests.get(service.health, timeout=5).ok
            except requests.RequestException:
                found[service.name] = False
        found["relay"] = self.relay.process is not None and (
            self.relay.process.poll() is None
        )
        return found


def write_upstreams(prefix: Path, ports: List[int]) -> None:
    """The harness's upstreams.conf: the Rasa servers on loopback."""
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in ports
    )
    (prefix / "conf" / "upstreams.conf").write_text(
        "upstream rasa {\n    hash $remote_addr consistent;\n"
        f"{servers}    keepalive 32;\n}}\n"
    )


def write_nginx_conf(prefix: Path, port: int, rasa_ports: List[int]) -> Path:
    """A top-level nginx.conf in `prefix` that includes deploy/nginx/clinic.conf."""
    conf = prefix / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / temp).mkdir(parents=True, exist_ok=True)
    write_upstreams(prefix, rasa_ports)
    (conf / "listen.conf").write_text(f"listen 127.0.0.1:{port};\n")
    main = conf / "nginx.conf"
    main.write_text(
        f"""# Written by python -m loadtest; removed with its directory.
user {getpass.getuser()};
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    # The harness's clients play visitors at their own addresses: trust the
    # X-Forwarded-For they send, as from a load balancer in front of nginx.
    set_real_ip_from 127.0.0.1;
    real_ip_header X-Forwarded-For;
    include {NGINX_CONF};
}}
"""
    )
    return main


def nginx_binary() -> str:
    """Debian's nginx (`make nginx` installs it)."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise ServerError("nginx is missing: run `make nginx`.")
    return found


def reload_nginx(prefix: Path) -> None:
    """Makes nginx read its configuration again (SIGHUP to the master)."""
    pid = int((prefix / "nginx.pid").read_text().strip())
    os.kill(pid, signal.SIGHUP)


def _endpoints(
    workdir: Path, postgres: Postgres, redis_port: int, actions: int
) -> Path:
    """The endpoints file: endpoints.prod.yml once merged, else one written here."""
    if PROD_ENDPOINTS.exists():
        return PROD_ENDPOINTS
    path = workdir / "endpoints.yml"
    path.write_text(
        f"""action_endpoint:
  url: "http://127.0.0.1:{actions}/webhook"
  headers:
    Authorization: Bearer ${{ACTION_SERVER_TOKEN}}
tracker_store:
  type: SQL
  dialect: "postgresql"
  url: "{postgres.host}"
  port: {postgres.port}
  db: "{postgres.database}"
  username: "{postgres.user}"
  password: "{postgres.password}"
lock_store:
  type: redis
  url: "127.0.0.1"
  port: {redis_port}
  db: 1
"""
    )
    return path


def start_stack(
    workdir: Path, model: Path, exits: ExitStack, workers: int = 1
) -> Stack:
    """Starts everything; `exits` stops it all, in reverse order, when closed."""
    postgres = exits.enter_context(throwaway_postgres(workdir / "postgres"))
    redis_port = free_port()
    redis_dir = workdir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    redis_process = start_redis(redis_dir, redis_port)
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    wait_for_redis(redis_url, redis_process, 30)
    booking = exits.enter_context(FakeBookingSystem(secret=secrets.token_hex(16)))
    actions_port = free_port()
    rasa_ports = [free_port(), free_port()]
    nginx_port = free_port()
    outbox = workdir / "bookings.db"
    token = secrets.token_hex(16)
    credentials = ROOT / "credentials.yml"
    env = {
        **credentials_env(credentials),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
        "ACTION_SERVER_TOKEN": secrets.token_hex(16),
        "ACTIONS_PORT": str(actions_port),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "BOOKING_OUTBOX_PATH": str(outbox),
        "BOOKING_WEBHOOK_URL": booking.url,
        "BOOKING_WEBHOOK_SECRET": booking.secret,
        "BOOKING_WEBHOOK_CA_BUNDLE": str(booking.ca_path),
        # After a minute of 500s the relay's back-off would otherwise reach minutes.
        "BOOKING_RETRY_MAX_SECONDS": "5",
        "BOOKING_RETRY_BASE_SECONDS": "0.5",
        **postgres.env(),
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_port),
        "REDIS_PASSWORD": "",
        "RASA_AUTH_TOKEN": token,
        "SANIC_PROXIES_COUNT": "1",
        "SANIC_WORKERS": str(workers),
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
        "WECHAT_TOKEN": WECHAT_TOKEN,
        "WECHAT_APP_ID": WECHAT_APP_ID,
        "WECHAT_ENCODING_AES_KEY": WECHAT_AES_KEY,
        "WECHAT_MODE": "passive",
        "WECHAT_REDIS_URL": f"redis://127.0.0.1:{redis_port}/2",
        "GUARD_REDIS_URL": f"redis://127.0.0.1:{redis_port}/3",
        **GUARD,
    }
    if PROD_ENDPOINTS.exists():
        env["BOOKING_OUTBOX_URL"] = postgres.url
    endpoints = _endpoints(workdir, postgres, redis_port, actions_port)
    python = sys.executable
    actions = Service(
        "actions",
        [python, "-m", "actions.server"],
        workdir / "actions.log",
        env,
        f"http://127.0.0.1:{actions_port}/health",
    )
    relay = Service(
        "relay", [python, "-m", "booking.relay"], workdir / "relay.log", env, ""
    )
    rasa = [
        Service(
            f"rasa-{n + 1}",
            [
                RASA,
                "run",
                "--model",
                str(model),
                "--port",
                str(port),
                "--interface",
                "127.0.0.1",
                "--enable-api",
                f"--auth-token={token}",
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(credentials),
            ],
            workdir / f"rasa-{n + 1}.log",
            env,
            f"http://127.0.0.1:{port}{RASA_HEALTH}",
        )
        for n, port in enumerate(rasa_ports)
    ]
    prefix = workdir / "nginx"
    stack = Stack(
        workdir, postgres, redis_url, booking, actions, relay, rasa,
        f"http://127.0.0.1:{nginx_port}", token, outbox, prefix,
        redis=redis_process, rasa_ports=rasa_ports, workers=workers,
    )  # fmt: skip
    exits.callback(lambda: stack.redis and stop(stack.redis))
    # Registered after throwaway_postgres's own stop, so it runs before it.
    exits.callback(lambda: stack.postgres_process and stop(stack.postgres_process))
    for service in (actions, relay, *rasa):
        exits.callback(service.stop)
    actions.start()
    relay.start()
    # One at a time: two model loads at once on two cores take longer than in turn.
    for server in rasa:
        server.start()
    main = write_nginx_conf(prefix, nginx_port, rasa_ports)
    log = (prefix / "nginx.log").open("ab")
    stack.nginx = subprocess.Popen(
        [nginx_binary(), "-p", str(prefix), "-c", str(main)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    exits.callback(lambda: stack.nginx and stop(stack.nginx))
    wait_until_up(f"{stack.url}/", stack.nginx, prefix / "error.log", 30)
    return stack
