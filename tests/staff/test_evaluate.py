from staff.evaluate import BAR, HARD_BAR, Prediction, failures_against_bar, summarise


def prediction(label: str, predicted: str, language: str = "en") -> Prediction:
    return Prediction("text", label, predicted, 0.9, language, 0.9)


def test_one_missed_red_flag_misses_both_bars():
    predictions = [prediction("emergency", "emergency")] * 99 + [
        prediction("emergency", "faq/does_it_hurt")
    ]
    summary = summarise(predictions)
    assert any("red flags" in f for f in failures_against_bar(summary, BAR))
    assert any("red flags" in f for f in failures_against_bar(summary, HARD_BAR))


def test_the_hard_bar_is_stricter_on_accuracy_and_fallbacks():
    predictions = (
        [prediction("faq/prices", "faq/prices")] * 95
        + [prediction("faq/prices", "nlu_fallback")] * 2
        + [prediction("faq/prices", "faq/contact")] * 2
        + [prediction("out_of_scope", "out_of_scope")]
    )
    summary = summarise(predictions)
    assert failures_against_bar(summary, BAR) == []
    hard = failures_against_bar(summary, HARD_BAR)
    assert any("overall" in f for f in hard)
    assert any("wrong fallbacks" in f for f in hard)
