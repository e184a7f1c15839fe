"""The articles' policy: the marked question to its answer, then listen."""

from components.article_policy import ANSWER_FROM_ARTICLES, next_step


def test_a_passage_or_an_abstention_is_answered_from_the_articles():
    for answer in ("passage", "abstain"):
        assert (
            next_step({"answer": answer}, "action_listen", None) == ANSWER_FROM_ARTICLES
        )
    assert (
        next_step({"answer": "passage"}, ANSWER_FROM_ARTICLES, None) == "action_listen"
    )


def test_a_kept_faq_answer_and_unmarked_messages_are_left_to_the_rules():
    assert next_step({"answer": "faq"}, "action_listen", None) is None
    assert next_step(None, "action_listen", None) is None
    assert next_step({"answer": "passage"}, "utter_faq", None) is None


def test_a_form_in_progress_is_left_to_its_rules():
    assert next_step({"answer": "passage"}, "action_listen", "booking_form") is None


def test_a_passage_added_to_a_kept_faq_answer_is_answered_from_the_articles():
    added = {"answer": "faq", "added": "a04-p002", "passages": [{"id": "a04-p002"}]}
    # The action quotes the passage and gives the FAQ answer; then listen.
    assert next_step(added, "action_listen", None) == ANSWER_FROM_ARTICLES
    assert next_step(added, ANSWER_FROM_ARTICLES, None) == "action_listen"
    assert next_step(added, "action_listen", "booking_form") is None
