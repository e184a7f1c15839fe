"""HANDOVER_* settings and opening hours (handover/settings.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from handover.settings import OpeningHours, handover_settings


def shanghai(hour: int, minute: int = 0) -> datetime:
    # Shanghai is UTC+8 all year.
    return datetime(2026, 12, 5, (hour - 8) % 24, minute, tzinfo=timezone.utc)


def test_no_hours_means_any_time():
    assert OpeningHours.parse("").is_open(shanghai(3))
    assert OpeningHours.parse("always").is_open(shanghai(23, 59))


def test_hours_are_read_in_shanghai_time():
    hours = OpeningHours.parse("09:00-12:00, 13:30-18:00")
    assert hours.is_open(shanghai(9))
    assert not hours.is_open(shanghai(12, 30))
    assert hours.is_open(shanghai(17, 59))
    assert not hours.is_open(shanghai(18))
    assert OpeningHours.parse("00:00-24:00").is_open(shanghai(23, 59))


@pytest.mark.parametrize("text", ["9-18", "09:00-25:00", "morning"])
def test_bad_hours_are_refused_with_the_variable_named(text):
    with pytest.raises(ValueError, match="HANDOVER_HOURS"):
        OpeningHours.parse(text)


def test_defaults_and_the_rasa_token_as_the_shared_secret():
    settings = handover_settings({"RASA_AUTH_TOKEN": "abc"})
    assert settings.token == "abc"  # noqa: S105 - a made-up token
    assert (settings.online_seconds, settings.idle_minutes) == (60, 10)
    assert settings.rasa_url == "http://127.0.0.1:5005"
    own = handover_settings({"RASA_AUTH_TOKEN": "abc", "HANDOVER_TOKEN": "xyz"})
    assert own.token == "xyz"  # noqa: S105 - a made-up token


def test_a_bad_number_is_refused():
    with pytest.raises(ValueError, match="HANDOVER_IDLE_MINUTES"):
        handover_settings({"HANDOVER_IDLE_MINUTES": "0"})
