"""Every change to the training data, kept in git as the member of staff who made it.

The project folder the console edits (EDITING_PROJECT_DIR) is a git repository, or
inside one; each save is one commit of the files it changed, authored by the signed-in
account. Undo is `git revert` of that commit, committed as whoever undid it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence

# What the history shows and commits: the files Rasa trains on.
TRACKED = ("domain.yml", "config.yml", "data")
SEPARATOR = "\x1f"


class HistoryError(RuntimeError):
    """git refused (e.g. an undo that conflicts with a later change)."""


@dataclass(frozen=True)
class Change:
    """One commit: who, when, what they said they did."""

    commit: str
    author: str
    email: str
    when: str
    message: str


class History:
    """The git history of the training data in `project`."""

    def __init__(self, project: Path, email_domain: str) -> None:
        """Works on `project`; authors are `<account>@<email_domain>`."""
        self.project = project
        self.email_domain = email_domain

    def _git(self, *args: str, author: str | None = None) -> str:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        if author:
            email = f"{author}@{self.email_domain}"
            env.update(
                GIT_AUTHOR_NAME=author,
                GIT_AUTHOR_EMAIL=email,
                GIT_COMMITTER_NAME=author,
                GIT_COMMITTER_EMAIL=email,
            )
        result = subprocess.run(
            ["git", *args],
            cwd=self.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode:
            raise HistoryError(result.stderr.strip() or result.stdout.strip())
        return result.stdout

    def ensure(self) -> None:
        """Makes the folder a repository holding the data as it is, if it is not one."""
        try:
            self._git("rev-parse", "--git-dir")
        except HistoryError:
            self._git("init", "-q")
            self._git("add", "--", *self._existing(TRACKED))
            self._git(
                "commit", "-q", "-m", "The training data as found", author="console"
            )

    def _existing(self, paths: Sequence[str]) -> List[str]:
        return [p for p in paths if (self.project / p).exists()]

    def commit(self, paths: Sequence[Path], message: str, author: str) -> str:
        """Commits the files as `author`; returns the commit ("" if nothing changed)."""
        names = [
            str(Path(p).resolve().relative_to(self.project.resolve())) for p in paths
        ]
        self._git("add", "--", *names)
        if not self._git("diff", "--cached", "--name-only", "--", *names).strip():
            return ""
        self._git("commit", "-q", "-m", message, "--", *names, author=author)
        return self._git("rev-parse", "HEAD").strip()

    def changes(self, limit: int = 100) -> List[Change]:
        """The latest commits touching the training data, newest first."""
        fields = SEPARATOR.join(["%H", "%an", "%ae", "%aI", "%s"])
        out = self._git(
            "log", f"-n{limit}", f"--format={fields}", "--", *self._existing(TRACKED)
        )
        return [Change(*line.split(SEPARATOR, 4)) for line in out.splitlines() if line]

    def change(self, commit: str) -> Change:
        """One commit's details; HistoryError if there is none such."""
        fields = SEPARATOR.join(["%H", "%an", "%ae", "%aI", "%s"])
        out = self._git("show", "-s", f"--format={fields}", _checked(commit))
        return Change(*out.strip().split(SEPARATOR, 4))

    def diff(self, commit: str) -> str:
        """What the commit changed in the training data, as a unified diff."""
        return self._git(
            "show", "--format=", "--no-color", "--unified=2", _checked(commit), "--",
            *TRACKED,
        )  # fmt: skip

    def undo(self, commit: str, author: str) -> str:
        """Reverts the commit as `author`; returns the new commit."""
        commit = _checked(commit)
        message = f"Undo: {self.change(commit).message}"
        try:
            self._git("revert", "--no-commit", commit)
            self._git("commit", "-q", "-m", message, author=author)
        except HistoryError:
            self._git("revert", "--abort") if self._reverting() else None
            raise
        return self._git("rev-parse", "HEAD").strip()

    def _reverting(self) -> bool:
        return (self.project / ".git" / "REVERT_HEAD").exists()

    def head(self) -> str:
        """The current commit."""
        return self._git("rev-parse", "HEAD").strip()


def _checked(commit: str) -> str:
    # Only a commit hash reaches git's command line, never an option.
    if not commit or not all(c in "0123456789abcdef" for c in commit.lower()):
        raise HistoryError(f"{commit!r} is not a commit")
    return commit
