"""Answers from the articles in the widget, in real headless Chromium."""

from __future__ import annotations

from knowledge.passages import load_passages, passages_by_id
from tests.e2e.conversation import variation

PASSAGES = passages_by_id(load_passages())


def test_a_passage_is_shown_with_its_source_in_the_visitors_language(widget):
    widget.load("/webchat/?lang=zh").open()
    widget.wait_bot(1)
    passage = PASSAGES["a04-p008"]
    [reply] = widget.say("推拿对脊柱压力和筋膜有什么作用")
    assert reply.startswith(passage.source("zh"))
    assert passage.text.zh.splitlines()[-1] in reply
    passage = PASSAGES["a05-p012"]
    [reply] = widget.say("Which techniques does acupuncture massage use?")
    assert reply.startswith(passage.source("en"))
    assert passage.text.en.splitlines()[0] in reply
    widget.screenshot("widget-article-passage")


def test_the_articles_silence_offers_the_numbers_and_topics(widget, responses):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    [reply] = widget.say("do you make home visits?")
    assert "do you make home visits?" in reply
    assert "6345 5101" in reply and "6461 6550" in reply
    # The reply's own buttons come last (the greeting's are still there above).
    titles = [b.text for b in widget.find_all(".bsc-replies button")]
    expected = variation(responses, "utter_articles_do_not_say", "en")["buttons"]
    assert titles[-len(expected) :] == [b["title"] for b in expected]
