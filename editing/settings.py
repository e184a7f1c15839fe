"""The editing settings: the one module in `editing/` that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Tuple

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class EditingSettings:
    """Where the data the console edits is, where models go, which servers answer."""

    # The folder holding domain.yml, config.yml and data/ (a git repository, or in one).
    project: Path
    # candidates/, previous/, the evaluations and the check's state.
    models: Path
    # The model the Rasa servers were started with; "Put live" replaces it.
    live_model: Path
    # Every Rasa server to load a model put live (HTTP API `PUT /model`).
    servers: Tuple[str, ...]
    token: str | None
    heldout: Tuple[Path, ...]
    # Commits are made as `<account>@<email_domain>`.
    email_domain: str


def editing_settings(environ: Mapping[str, str] = os.environ) -> EditingSettings:
    """Reads the EDITING_* variables (and RASA_AUTH_TOKEN, HANDOVER_RASA_URL)."""

    def path(name: str, default: Path) -> Path:
        value = environ.get(name, "").strip()
        return Path(value).resolve() if value else default

    models = path("EDITING_MODELS_DIR", ROOT / "models")
    servers = environ.get("EDITING_RASA_URLS", "").strip() or environ.get(
        "HANDOVER_RASA_URL", "http://127.0.0.1:5005"
    )
    token_file = ROOT / ".rasa" / "auth_token"
    token = environ.get("RASA_AUTH_TOKEN", "").strip() or (
        token_file.read_text().strip() if token_file.exists() else None
    )
    heldout = environ.get("EDITING_HELDOUT", "").strip()
    return EditingSettings(
        project=path("EDITING_PROJECT_DIR", ROOT),
        models=models,
        live_model=path("EDITING_LIVE_MODEL", models / "clinic.tar.gz"),
        servers=tuple(s.strip().rstrip("/") for s in servers.split(",") if s.strip()),
        token=token,
        heldout=tuple(
            Path(p).resolve()
            for p in (heldout or str(ROOT / "tests/heldout")).split(",")
        ),
        email_domain=environ.get("EDITING_EMAIL_DOMAIN", "").strip()
        or "staff.bodyandsoul.invalid",
    )
