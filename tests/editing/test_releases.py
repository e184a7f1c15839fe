"""editing/releases.py: only a candidate that met the bar goes live; roll back."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from editing.candidates import verdict_path
from editing.releases import release, roll_back
from editing.settings import EditingSettings, editing_settings
from staff.release import ReleaseRefusedError


@pytest.fixture
def settings(tmp_path: Path) -> EditingSettings:
    (tmp_path / "candidates").mkdir()
    (tmp_path / "clinic.tar.gz").write_bytes(b"live model")
    # No server listens on port 9: reloading finds none and says so.
    return editing_settings(
        {"EDITING_MODELS_DIR": str(tmp_path), "EDITING_RASA_URLS": "http://127.0.0.1:9"}
    )


def _candidate(settings: EditingSettings, failures: list) -> str:
    path = settings.models / "candidates" / "candidate-1.tar.gz"
    path.write_bytes(b"new model")
    verdict_path(path).write_text(json.dumps({"failures": failures}))
    return path.name


def test_a_candidate_below_the_bar_is_refused(settings: EditingSettings) -> None:
    name = _candidate(settings, ["overall accuracy 90.0% < 95%"])
    with pytest.raises(ReleaseRefusedError, match="below the bar"):
        release(settings, name)
    assert settings.live_model.read_bytes() == b"live model"


def test_an_unchecked_candidate_is_refused(settings: EditingSettings) -> None:
    name = _candidate(settings, [])
    verdict_path(settings.models / "candidates" / name).unlink()
    with pytest.raises(ReleaseRefusedError, match="never checked"):
        release(settings, name)


def test_only_files_in_candidates_can_be_released(settings: EditingSettings) -> None:
    with pytest.raises(ValueError):
        release(settings, "../clinic.tar.gz")


def test_put_live_keeps_the_old_model_and_roll_back_restores_it(
    settings: EditingSettings,
) -> None:
    released = release(settings, _candidate(settings, []))
    assert settings.live_model.read_bytes() == b"new model" and released.servers == []
    roll_back(settings)
    assert settings.live_model.read_bytes() == b"live model"
    with pytest.raises(ReleaseRefusedError, match="no previous model"):
        roll_back(settings)


class _RasaStandIn(BaseHTTPRequestHandler):
    """Answers like a Rasa server's HTTP API: `GET /` and `PUT /model` (recorded)."""

    loaded: ClassVar[list] = []

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.loaded.append((self.server.server_port, self.path, json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_every_configured_server_loads_the_model_put_live(tmp_path: Path) -> None:
    servers = [HTTPServer(("127.0.0.1", 0), _RasaStandIn) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "candidates").mkdir()
        (tmp_path / "clinic.tar.gz").write_bytes(b"live model")
        urls = ",".join(f"http://127.0.0.1:{s.server_port}" for s in servers)
        settings = editing_settings(
            {
                "EDITING_MODELS_DIR": str(tmp_path),
                "EDITING_RASA_URLS": urls,
                "RASA_AUTH_TOKEN": "secret",
            }
        )
        released = release(settings, _candidate(settings, []))
    finally:
        for server in servers:
            server.shutdown()
    assert len(released.servers) == 2
    ports = sorted(port for port, _, _ in _RasaStandIn.loaded)
    assert ports == sorted(s.server_port for s in servers)
    for _, path, body in _RasaStandIn.loaded:
        assert path == "/model?token=secret"
        assert body == {"model_file": str(settings.live_model.resolve())}
