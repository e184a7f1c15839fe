"""A predicted answer's `faq/<key>` is looked up as Rasa's walk finds it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rasa_patches import response_selector

RESPONSES = {
    "utter_faq/locations": [{"text": "Downtown and Minhang"}, {"text": "市中心和闵行"}],
    "utter_faq/does_it_hurt": [{"text": "faq/locations"}, {"text": "It should not."}],
    "utter_faq/prices": [{"text": "Downtown and Minhang"}, {"image": "x.png"}],
}


@pytest.mark.parametrize(
    "name",
    [
        "faq/locations",
        "faq/prices",
        "Downtown and Minhang",  # the text of two answers: the first wins
        "It should not.",
        "市中心和闵行",
        "faq/nothing",
        "",
        None,
    ],
)
def test_the_key_found_is_rasas(name):
    selector = SimpleNamespace(responses=RESPONSES)
    label = {"name": name}
    assert response_selector.resolve_from_table(
        selector, label
    ) == response_selector._RESOLVE(selector, label)


def test_new_responses_are_read_again():
    selector = SimpleNamespace(responses=RESPONSES)
    assert response_selector.resolve_from_table(selector, {"name": "faq/prices"})
    selector.responses = {"utter_faq/hours": [{"text": "9-5"}]}
    assert (
        response_selector.resolve_from_table(selector, {"name": "9-5"}) == "faq/hours"
    )
    assert (
        response_selector.resolve_from_table(selector, {"name": "faq/prices"}) is None
    )
