"""Counting the calls a patch was meant to save, without changing what they do."""

from __future__ import annotations

from typing import Any, List


def calls_to(monkeypatch: Any, owner: Any, name: str) -> List[tuple]:
    """From now on, each call of `owner.name` is made as before and its arguments
    appended to the list returned (undone with the test's monkeypatch)."""
    original = getattr(owner, name)
    calls: List[tuple] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls
