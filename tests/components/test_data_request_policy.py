import pytest

from components.data_request_policy import CONFIRM, STOP_REQUEST, next_step


@pytest.mark.parametrize(
    "latest_action, active_loop, expected",
    [
        ("action_listen", None, CONFIRM),
        ("action_listen", "booking_form", STOP_REQUEST),  # after the form rejected it
        (STOP_REQUEST, None, CONFIRM),
        (CONFIRM, None, "action_listen"),
        ("utter_faq", None, None),
    ],
)
def test_a_deletion_request_stops_the_form_then_asks(
    latest_action, active_loop, expected
):
    assert next_step("delete_my_data", latest_action, active_loop) == expected


@pytest.mark.parametrize("intent", ["affirm", "faq", "cancel", None])
def test_other_messages_are_left_to_the_other_policies(intent):
    assert next_step(intent, "action_listen", None) is None
