from rasa.shared.nlu.training_data.message import Message

from components.response_fallback import ResponseSelectorFallback


def message(intent: str, selector_confidence: float) -> Message:
    response = {"intent_response_key": "faq/prices", "confidence": selector_confidence}
    selected = {"response": response}
    return Message(
        {
            "text": "what should i make for dinner",
            "intent": {"name": intent, "confidence": 0.99},
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
            "response_selector": {"faq": selected, "default": selected},
        }
    )


def intent_after(msg: Message, threshold: float = 0.2) -> str:
    ResponseSelectorFallback({"threshold": threshold}).process([msg])
    return msg.get("intent")["name"]


def test_unsure_faq_answer_falls_back():
    msg = message("faq", 0.11)
    assert intent_after(msg) == "nlu_fallback"
    assert msg.get("intent_ranking")[0] == {"name": "nlu_fallback", "confidence": 0.2}
    assert msg.get("intent_ranking")[1]["name"] == "faq"


def test_confident_faq_answer_is_kept():
    assert intent_after(message("faq", 0.85)) == "faq"


def test_other_intents_are_left_alone():
    assert intent_after(message("greet", 0.01)) == "greet"


def test_threshold_is_configurable():
    assert intent_after(message("faq", 0.3), threshold=0.4) == "nlu_fallback"
