"""Answers from the whole articles: the FAQ's, a passage, or "the articles don't say".

The classifier chooses among 29 fixed answers; a question the articles answer but no
fixed answer is about gets the nearest one, on the right subject with the asked fact
missing, and a question they do not answer gets a neighbouring text. After the intent
rules (so that red flags, hand-overs, privacy requests and the off-topic rule are
settled), this component ranks the articles' passages for each question
(components/article_index.py: BM25 and the sentence encoder, fused) and decides:

- `faq`: the classifier's FAQ answer stays, unless it does not fit what was asked
  (the prices answer to a "how many") or the classifier was unsure of it (below
  `replace_below`) and a passage it does not cover says more of what was asked
  (`replaces`);
- `passage`: the best passage clears `answer_at` (its fused score, by language) and
  gives the kind of thing asked (a number, a place; never a price: the articles give
  none); never for the classifier's off-topic;
- `abstain`: a question on the clinic's subject that neither answers: the assistant
  says the articles don't say, with the reception numbers.

It marks the parse result with `article` (under `response_selector`, which
conversation tests keep; components/follow_up.py says why) and leaves the intent
alone, so the classifier's training and figures are unchanged. The policy
(components/article_policy.py) sends a marked message to `action_answer_from_articles`
(actions/articles.py), which reads the passage's words from the mark: the model
carries the passages it was trained with, and the action server needs no files.

Trained from the article files (`knowledge`, default knowledge/articles) and the FAQ
answers of the training data; `make train` retrains it when they change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Sequence, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.article_index import (
    LANGUAGES,
    ArticleIndex,
    Found,
    NamedFacts,
    Ranked,
    Speller,
    Vocabulary,
    asked_kinds,
    asks_about_a_visit,
    asks_language,
    content_words,
    gives,
    named_facts,
    passage_words,
)
from components.asked_about import (
    KINDS,
    AskedAbout,
    load_asked_about,
    unnamed_patterns,
)
from components.follow_up import mark, read_mark
from components.handoff_detector import HANDOFF_INTENT, asks_for_a_person
from components.language import SWITCH_LANGUAGE_INTENT, detect_language
from components.off_topic_detector import asks_off_topic
from components.passage_selector import (
    PASSAGE_CHOICE,
    MeaningChoice,
    confidence_in,
    passage_key,
    without_passages,
)
from components.questions import is_question
from components.sentence_encoder import (
    MORE_QUESTIONS,
    current_label,
    encoder_text,
    shared_encoder,
)
from components.unanswered import Unanswered, answered_texts, load_unanswered

ARTICLE = "article"  # the mark: {"answer": "faq" | "passage" | "abstain", ...}
FAQ, PASSAGE, ABSTAIN = "faq", "passage", "abstain"
# Questions the component reads: an answer of the classifier's, or no clear intent.
# `out_of_scope` only when the classifier said it (the off-topic rule's requests,
# diagnoses and doses included, keep their answer).
READ_INTENTS = frozenset({"faq", "nlu_fallback", "out_of_scope"})
# A form answer is read only as a question ("does Joe Teh do tuina?"), never bare
# ("with Joe Teh please"); and outside a form, which the policy checks.
INFORM = "inform"
# A booking or a cancellation is read only when the message asks about one rather
# than for one: "how early should I arrive for my appointment", "what's your
# cancellation policy", "预约了去不了怎么取消" (reception's numbers answer those).
ABOUT_INTENTS = frozenset({"book_appointment", "cancel"})
# These and the classifier's hand-over are read as a question about a visit (what to
# bring, a referral, ...: `asks_about_a_visit`), which no passage is about.
VISIT_INTENTS = ABOUT_INTENTS | {HANDOFF_INTENT}
_ASKS_ABOUT = re.compile(
    r"\b(?:how|what|what's|whats|when|which|why|where)\b|怎么|什么|如何|为什么|哪|多久",
    re.IGNORECASE,
)
_ASKS_TO_BOOK = re.compile(
    r"\b(?:book\w*|reserve|schedule|make an?|get an?|set up an?)\b|预约|约个|挂号|订",
    re.IGNORECASE,
)
PRICES = "faq/prices"
# A word this few passages use is specific enough to name what a question is about.
NAMED_BY_AT_MOST = 2
# The passage that answers what a FAQ answer leaves out is among the first few.
NAMING_RANKS = 3
# An unsure FAQ answer that says less than this share of the words asked gives way to
# a passage that says `SAYS_ENOUGH` of them (`replaces`); and to a passage asked almost
# in so many words (`ASKED_AS`, the question's cosine to its nearest text).
SAYS_LITTLE = 0.2
SAYS_ENOUGH = 0.45
ASKED_AS = 0.93
# A FAQ answer the classifier is less sure of than `NEARER_BELOW` gives way to a
# passage the question is asked more nearly as (its cosine to the passage's nearest
# text, from `NEARER_FROM`) than as any of the answer's examples, by `NEARER_BY`, if
# the passage says about as many of the words asked (within `NEARER_SLACK`). 0.9 is
# `unanswered_below`: the questions-left-open check has encoded those questions.
NEARER_BELOW = 0.9
NEARER_FROM = 0.7
NEARER_BY = 0.12
NEARER_SLACK = 0.2
# A FAQ answer the classifier is less sure of than `UNLIKE_BELOW`, for a question
# unlike every one of its examples (nearest cosine below `TYPICAL_AT`), gives way to
# a passage it does not cover that says about as many of the words asked (within
# `COVERAGE_SLACK`): the classifier took a question about a detail for the topic.
UNLIKE_BELOW = 0.8
TYPICAL_AT = 0.65
COVERAGE_SLACK = 0.1
# The classifier's off-topic gives way to a passage the question is asked nearly as
# (its cosine to the passage's nearest text from `OFF_TOPIC_ASKED_AS`): "honestly i
# hate the gym. does keeping up regular exercise matter much if i have chronic pain?"
# Chosen with eight questions a passage, when the nearest off-topic question of
# tests/heldout was at 0.59 ("能给我开安眠药吗"; with sixteen at 0.73, it is now read as
# a prescription request, a doctor's: components/off_topic_detector.py).
OFF_TOPIC_ASKED_AS = 0.65
# The passage selector's confidence in the passage to quote after the FAQ answer from
# which the other rules may quote it instead of the answer (`replaces`, `named`):
# below it, none of the held-out and hard FAQ answers gives way (docs/performance.md).
ALONE_AT = 0.5
# Fewer words than this is a topic, not a question (unless the classifier answered it).
MIN_WORDS = 3
# A reply must fit one WeChat message (2048 bytes) with its source line and header.
MAX_QUOTED_BYTES = 1500
_SENTENCE_END = re.compile(r"(?<=[.!?。！？\n])\s*")
# The clinic addressed, or its services named: a question on its subject.
_ON_SUBJECT = re.compile(
    r"\b(?:you|your|u|ur|clinics?|therapists?|doctors?|practitioners?|staff|appointments?"
    r"|sessions?|treatments?|therapy|massages?|tuina|acupunct\w*|acupressure|cupping|cups"
    r"|herbs?|herbal|tcm|moxibustion|gua sha|discounts?|pay(?:ment)?|visits?"
    r"|park|parking|book|booking|voucher|membership|insurance|receipt|cancel\w*"
    r"|arrive|wear|showers?|wi-?fi|waiting (?:room|area)|toilets?|restrooms?"
    r"|lockers?|changing rooms?|wheelchairs?|lifts?|elevators?"
    r"|sick note|medical certificate|invoices?|fapiao|online consult\w*"
    r"|video (?:calls?|consult\w*))\b"
    r"|你们|您们|你家|贵诊所|贵院|贵店|店里|诊所|医生|大夫|技师|治疗|预约|推拿|按摩|针灸|拔.{0,2}罐|艾灸|刮痧|中药"
    r"|中医|理疗|上门|优惠|折扣|停车|付款|支付|刷卡|礼品卡|会员|取消|洗澡|穿|挂号|到店|提前"
    r"|无线网|候诊|厕所|卫生间|洗手间|储物柜|更衣室|轮椅|电梯|病假条|假条|发票|储值卡|充值卡"
    r"|(?:视频|线上|网上)(?:问诊|看诊|咨询)",
    re.IGNORECASE,
)


# A question that points back to the sentence before it ("what is that called",
# "这是什么原因").
_REFERS_BACK = re.compile(
    r"\b(?:that|this|it|these|those|they|such)\b|这(?!里|儿)|那(?=是|种|个|样)|它",
    re.IGNORECASE,
)


def question_focus(text: str) -> str:
    """The part of a message that asks: its question sentences after a story.

    "My husband sits at a desk all day and his back aches. What is kidney deficiency?"
    is ranked on its second sentence; "... aches every evening. What is that called?"
    on both, as it asks about the story; a message without a question sentence, whole.
    """
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return text
    asking = [i for i, s in enumerate(sentences) if is_question(s)]
    if not asking or asking[0] == 0:
        return text
    first = asking[0]
    # "... her back aches every evening. What is that called?" asks about the story.
    if _REFERS_BACK.search(sentences[first]):
        first -= 1
    return " ".join(sentences[first:])


# A question whether a treatment helps, or is safe, for what the story before it told:
# "dentist says TMJ. would acupuncture help with that?", "I'm breastfeeding. Is it
# safe for me to take herbs?", "我在哺乳期。能吃中药吗？".
# It refers back to the story ("that", "for me", "这个"): "Is tuina suitable for a
# child his age?" asks about his age, not the poor appetite the story told.
_ASKS_FOR_THE_STORY = re.compile(
    r"\b(?:help|helps|treat|treats|fix|cure|improve|relieve|work)\s+(?:with\s+|for\s+)?"
    r"(?:that|this|it|them|those|these)\b|\bfor (?:that|this)\b"
    r"|\b(?:safe|ok|okay|suitable|good)\s+for\s+me\b|\banything\b.{0,30}\bdo\b"
    r"|(?:这个|这种|我这|那种)[^？?。]{0,6}(?:能|可以|有用|管用|有效|治)",
    re.IGNORECASE,
)


def asking_sentences(text: str) -> str:
    """The sentences of a message that ask, as typed; all of them if none does.

    "... Now I'm recovering from whiplash. What techniques does it involve?" asks
    about techniques, not whiplash. But "... dentist says TMJ. Would acupuncture help
    with that?" asks whether it helps what the story told: the whole message.
    """
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    asking = [s for s in sentences if is_question(s)]
    if any(_ASKS_FOR_THE_STORY.search(s) for s in asking):
        return " ".join(sentences)
    return " ".join(asking or sentences)


def reads(intent: str | None, text: str) -> bool:
    """Whether the retriever reads a message the classifier gave `intent`."""
    if intent in READ_INTENTS:
        return True
    if intent == INFORM:
        return is_question(text)
    if intent == SWITCH_LANGUAGE_INTENT:
        # "Does Joe Teh speak English?" asks about him, not for English replies.
        return asks_language(text)
    if intent not in VISIT_INTENTS:
        return False
    if is_question(text) and (asks_about_a_visit(text) or asks_language(text)):
        # "do I need a doctor's referral to book medical massage", "预约了临时去不了
        # 钱能退吗", "anything i need to bring to my first appointment?": reception's
        # numbers answer those, not the booking form; nor a person, unless asked for.
        return intent != HANDOFF_INTENT or not asks_for_a_person(text)
    if intent == HANDOFF_INTENT or not _ASKS_ABOUT.search(text):
        return False
    return intent == "cancel" or not _ASKS_TO_BOOK.search(text)


def on_subject(text: str) -> bool:
    """Whether a question is on the clinic's subject (services, visits)."""
    return bool(_ON_SUBJECT.search(text)) and not asks_off_topic(text)


@dataclass(frozen=True)
class Fixed:
    """What the classifier's FAQ answer says of a question."""

    key: str
    fits: bool  # it gives the kind of thing asked (a price only if one is asked)
    coverage: float  # how much of what was asked it says
    covers: FrozenSet[int]  # the passages it states most of
    confidence: float  # the classifier's
    # Words of the question that only a passage or two use and that neither the
    # answer nor its examples do: what the question is about, left unanswered.
    unanswered: FrozenSet[str] = frozenset()
    # Words of the question that neither the answer nor its examples say, however
    # many passages use them: what a passage it covers may still add.
    unsaid: FrozenSet[str] = frozenset()
    # The question's cosine to the nearest of the answer's training examples; 0.0
    # while not yet encoded (the most unlike it could be).
    typical: float = 0.0


def replaces(
    index: int,
    coverage: float,
    fixed: Fixed,
    replace_below: float,
    cosine: float = 1.0,
) -> bool:
    """Whether a passage that clears the threshold replaces the FAQ answer.

    Never a passage the answer covers. When the question is unlike the answer's
    examples and the classifier was not sure (`UNLIKE_BELOW`, `TYPICAL_AT`): a
    passage that says about as much of the question ("推拿能改善腰部的血液循環嗎", taken
    for what tuina is). When the classifier was less sure than `NEARER_BELOW`: a
    passage the question is asked clearly more nearly as than as any example of the
    answer (`NEARER_BY`) and that says about as much of it ("why is medical massage
    compared to psychology?", which one example of what medical massage is asks in
    other words; "穴位按摩的止痛效果为啥能维持比较久", taken for what pain therapy
    does).
    Otherwise only when the classifier was unsure of the answer
    (below `replace_below`), and then when the passage:
    - has every word asked, and the answer does not;
    - says a fair share of them (`SAYS_ENOUGH`) where the answer says next to none
      (`SAYS_LITTLE`): "身体的自愈能力失灵了会怎么样" is no question about the clinic;
    - or is asked almost in so many words (`cosine`, its nearest text: one of the
      questions it answers, `ASKED_AS`) and has as many words as the answer:
      "穴位按摩有哪些手法" is the techniques passage's, not what acupressure is.
    `cosine` unknown (1.0) supposes the most a passage could be asked as.
    """
    if index in fixed.covers:
        return False
    if (
        fixed.confidence < UNLIKE_BELOW
        and fixed.typical < TYPICAL_AT
        and coverage >= fixed.coverage - COVERAGE_SLACK
    ):
        return True
    if (
        fixed.confidence < NEARER_BELOW
        and cosine >= NEARER_FROM
        and cosine >= fixed.typical + NEARER_BY
        and coverage >= fixed.coverage - NEARER_SLACK
    ):
        return True
    if fixed.confidence >= replace_below:
        return False
    if coverage >= 1.0 and coverage > fixed.coverage:
        return True
    if fixed.coverage < SAYS_LITTLE and coverage >= SAYS_ENOUGH:
        return True
    return cosine >= ASKED_AS and coverage >= fixed.coverage


def named(
    fixed: Fixed,
    ranked: Sequence[Ranked],
    fits: Sequence[bool],
    names: Sequence[bool],
    named_coverage: float,
) -> Ranked | None:
    """The passage that answers what a FAQ answer leaves out, if one clearly does.

    "Why is medical massage compared to psychology?" is taken for what medical
    massage is, whose answer never says psychology; the one passage that does, and
    says the rest of the question, answers it. It must be the best of the first
    `NAMING_RANKS` passages the answer does not already cover, give the kind of
    thing asked, use every unanswered word and cover `named_coverage` of the
    question's words.
    """
    if not fixed.unanswered or not names:
        return None
    first = slice(NAMING_RANKS)
    for r, fit, says_all in zip(ranked[first], fits[first], names[first], strict=True):
        if r.index in fixed.covers:
            continue
        if fit and says_all and r.coverage >= named_coverage:
            return r
        return None
    return None


def prefers_passage(choice: Dict[str, Any], key: str | None) -> bool:
    """Whether the passage selector chose a passage over FAQ answer `key`.

    Its choice is a passage, and it is at least as sure of it as of `key`: then the
    passage may follow the answer (`adds_detail`).
    """
    sure = choice.get("confidence", 0.0)
    return bool(choice.get("passage")) and sure >= confidence_in(choice, key or "")


def confirms(choice: Dict[str, Any], key: str) -> bool:
    """Whether the passage selector chose FAQ answer `key` too, over every passage.

    It learnt the passages' questions beside the FAQ examples: where it still prefers
    the classifier's answer, no passage's words replace that answer ("tuina is what
    kind of therapy", "那个推拿做的时候医生一般会按哪些地方").
    """
    sure = choice.get("confidence", 0.0)
    return not choice.get("passage") and sure > 0 and confidence_in(choice, key) >= sure


def adds_detail(
    fixed: Fixed,
    best: Ranked | None,
    choice: Dict[str, Any],
    passages: Sequence[Dict[str, Any]],
    says_unsaid: bool = False,
) -> Ranked | None:
    """The passage quoted with the FAQ answer, for the detail it leaves out, if any.

    "中医说我这个腰疼是肾虚引起的是什么意思": the passage on kidney deficiency, then
    the answer on the causes of back pain in TCM. The selector prefers the passage
    to the FAQ answer (`prefers_passage`), the retriever ranks the same passage first
    among those that give the kind of thing asked (`best`), and the answer does not
    already state it (`Fixed.covers`), or does but leaves one of the question's rarer
    words unsaid (`Fixed.unanswered`) or one the passage says (`says_unsaid`, of
    `Fixed.unsaid`): "according to tcm what makes kidney qi weak" gets the
    kidney-deficiency passage, which the answer on the causes of back pain mostly
    repeats but not what weakens kidney qi. No confidence threshold: from 0 to 0.2
    none changed what is added by more than one question (docs/performance.md).
    """
    if best is None:
        return None
    if best.index in fixed.covers and not (fixed.unanswered or says_unsaid):
        return None
    if passages[best.index]["id"] != choice.get("passage"):
        return None
    return best if prefers_passage(choice, fixed.key) else None


def decide(
    intent: str | None,
    fixed: Fixed | None,
    ranked: Sequence[Ranked],
    fits: Sequence[bool],
    question: str,
    answer_at: float,
    replace_below: float,
    naming: Ranked | None = None,
    left_open: bool = False,
    kept: bool = False,
) -> Tuple[str | None, List[int]]:
    """The answer for a question: (`faq` | `passage` | `abstain` | None, passages).

    `fixed`: the classifier's FAQ answer, if it chose one; `ranked`: the passages,
    best first; `fits[i]`: whether `ranked[i]` gives the kind of thing asked;
    `naming`: the passage that answers what the FAQ answer leaves out (`named`);
    `kept`: whether the passage selector keeps the FAQ answer: it chose the answer
    too (`confirms`), or a passage to quote after it that it is unsure of
    (`adds_detail`, below `ALONE_AT`);
    `left_open`: whether the question is of the kind the articles leave open
    (parking, what to wear: `Unanswered`; a condition or service they never name:
    `AskedAbout`). The FAQ answer stays unless it does not
    fit what was asked (the prices answer to a "how many"), a passage answers what
    it leaves out (`named`), the question is one the articles leave open, or the
    classifier was unsure of it (below `replace_below`) and a passage it does not
    cover says more of what was asked (`replaces`). None leaves the message to the
    other rules.
    """
    candidates = [r for r, fit in zip(ranked, fits, strict=True) if fit]
    best = candidates[0] if candidates and candidates[0].score >= answer_at else None
    if intent == "faq" and fixed is not None:
        if not fixed.fits:
            return (PASSAGE, [best.index]) if best is not None else (ABSTAIN, [])
        if naming is not None:
            return PASSAGE, [naming.index]
        if left_open:
            return ABSTAIN, []
        if kept:
            return FAQ, []
        if best is not None and replaces(
            best.index, best.coverage, fixed, replace_below, best.cosine
        ):
            return PASSAGE, [best.index]
        return FAQ, []
    # The classifier's off-topic (not the rule's, which is not read) is declined or,
    # on the clinic's subject, abstained on: a passage only if asked nearly as one.
    # A booking, a cancellation or a hand-over asks about a visit, which no passage
    # is about: "预约了去不了怎么取消" is not the passage inviting visitors to book.
    if (
        best is not None
        and intent not in VISIT_INTENTS
        and (intent != "out_of_scope" or best.cosine >= OFF_TOPIC_ASKED_AS)
    ):
        return PASSAGE, [best.index]
    # "第一次去要提前多久到": asking for a number is asking, question mark or not.
    # Whether someone speaks a language can only be about the clinic's people, and
    # what to bring, a referral, a refund or a home visit about its visits.
    # A condition or service no article names ("does acupuncture help tinnitus") is
    # left open too, whichever intent the classifier gave it, and so is a fact of the
    # front desk's kinds ("扎完针能马上开车吗", after-care).
    if (
        left_open
        or named_facts(question).stated
        or on_subject(question)
        or asks_language(question)
        or asks_about_a_visit(question)
    ) and (is_question(question) or asked_kinds(question)):
        return ABSTAIN, []
    return None, []


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class ArticleRetriever(GraphComponent):
    """Marks each question with the answer the articles give it, or their silence."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Where the articles are, and the thresholds (docs/performance.md)."""
        return {
            "knowledge": "knowledge/articles",
            # A passage is quoted from this fused score on, by language.
            "answer_at": {"en": 0.85, "zh": 0.85},
            # A FAQ answer the classifier is this sure of is never replaced by a
            # passage (the held-out figures drop above 0.6: docs/performance.md).
            "replace_below": 0.6,
            # A passage that answers what the FAQ answer leaves out must also cover
            # this much of the question's words (jieba splits Chinese questions
            # into more small words than a passage shares).
            "named_coverage": {"en": 1.0, "zh": 0.75},
            # Questions the articles leave open (components/unanswered.py), and the
            # probability from which a FAQ answer gives way to "our articles don't
            # say" (chosen on the development set: docs/performance.md).
            "unanswered": "knowledge/unanswered.yml",
            "unanswered_at": 0.9,
            # ... for FAQ answers the classifier is less sure of than this (the
            # sentence encoder's `consult_below`: below it the question is encoded
            # anyway). No question the articles leave open in tests/articles was
            # taken with more; one hard-set address question was.
            "unanswered_below": 0.9,
            # Conditions and services visitors ask about by name
            # (components/asked_about.py); those no text names are left open.
            "asked_about": "knowledge/asked_about.yml",
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        data: Dict[str, Any] | None = None,
        vectors: np.ndarray | None = None,
        example_vectors: np.ndarray | None = None,
        meaning: MeaningChoice | None = None,
    ) -> None:
        """Keeps the trained index (None before training)."""
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._data = data
        self._index: ArticleIndex | None = None
        self._faq_words: Dict[str, Dict[str, Vocabulary]] = {}
        self._faq_said: Dict[str, Dict[str, Vocabulary]] = {}
        self._faq_examples: Dict[str, Dict[str, Vocabulary]] = {}
        self._left_open: Unanswered | None = None
        self._asked_about = AskedAbout([])
        # The passage selector's choice, made again from the question's meaning.
        self._meaning = meaning
        # Each FAQ answer's training examples, encoded: how typical a question is.
        self._example_vectors: Dict[str, np.ndarray] = {}
        if data is not None and example_vectors is not None:
            keys = np.asarray(data.get("example_keys", []))
            vectors_ = np.asarray(example_vectors, dtype=np.float32)
            self._example_vectors = {
                str(key): vectors_[keys == key] for key in dict.fromkeys(keys)
            }
        if data is not None and vectors is not None:
            self._index = ArticleIndex(
                data["documents"], vectors, data["owners"], data.get("said")
            )
            self._faq_words = _vocabularies(data["faq_words"])
            self._faq_said = _vocabularies(data["faq_said"])
            self._faq_examples = _vocabularies(data["faq_examples"])
            self._left_open = Unanswered.from_json(data.get("unanswered"))
            self._asked_about = AskedAbout(data.get("unnamed_asked_about", []))
            self._speller = Speller(
                word
                for words in [
                    *data["documents"]["en"],
                    *(w["en"] for w in data["faq_words"].values()),
                    *(w["en"] for w in data["faq_examples"].values()),
                ]
                for word in words
            )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ArticleRetriever:
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Indexes the articles' passages and the FAQ answers, and stores them."""
        training_data = without_passages(training_data)
        data, vectors, example_vectors = build(
            Path(self._config["knowledge"]),
            faq_answers(training_data.responses),
            faq_examples(training_data),
            Path(self._config["unanswered"]),
            Path(self._config["asked_about"]),
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "articles.json").write_text(
                json.dumps(data, ensure_ascii=False), encoding="utf-8"
            )
            np.save(directory / "vectors.npy", vectors)
            # Half precision: a cosine to three decimals is all they are used for.
            np.save(directory / "examples.npy", example_vectors.astype(np.float16))
            meaning = meaning_choice(data, vectors, example_vectors)
            if meaning is not None:
                np.savez(directory / "meaning.npz", **meaning.to_arrays())
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ArticleRetriever:
        """Loads the index (the sentence encoder is shared and loads on first use)."""
        with model_storage.read_from(resource) as directory:
            data = json.loads((directory / "articles.json").read_text(encoding="utf-8"))
            vectors = np.load(directory / "vectors.npy")
            examples = directory / "examples.npy"
            example_vectors = np.load(examples) if examples.exists() else None
            stored = directory / "meaning.npz"
            meaning = (
                MeaningChoice.from_arrays(np.load(stored)) if stored.exists() else None
            )
        return cls(
            config, model_storage, resource, data, vectors, example_vectors, meaning
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Marks the questions the articles answer, or are silent on."""
        if self._index is None:
            return messages
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if message.get(TEXT) and reads(intent, message.get(TEXT)):
                verdict = self.read(message)
                if verdict is not None:
                    mark(message, ARTICLE, verdict)
        return messages

    def read(self, message: Message) -> Dict[str, Any] | None:
        """The mark for one message: its answer, the passages, and the figures.

        None for what the off-topic rule reads (a trade, a diagnosis, a dose): its
        fixed answer stays, and no passage is quoted.
        """
        if self._index is None or self._data is None:
            return None
        text = message.get(TEXT) or ""
        if asks_off_topic(text) or read_mark(message.data, MORE_QUESTIONS):
            return None
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        if intent != "faq" and len(tokens) < MIN_WORDS:
            # "massage", "treatment?": a topic, not a question; the fallback offers
            # the topics.
            return None
        language = detect_language(text) or "en"
        focus = question_focus(encoder_text(message))
        lemmas = _focus_lemmas(message, question_focus(text))
        words = [self._speller(word) for word in content_words(lemmas)]
        found = self._index.words_found(words, language)
        key, confidence = current_label(message)
        # The passage selector's choice (components/passage_selector.py).
        choice = message.get(PASSAGE_CHOICE) or {}
        verdict: Dict[str, Any] = {"language": language, "question": focus}
        # The facts the question names, which the FAQ answer and passages must state;
        # a condition or service no text names (not one the FAQ answer was taught
        # for), none states. For the classifier's off-topic only a condition ("does
        # anyone there treat menopause symptoms"): "where can I learn tuina" is
        # off-topic.
        facts = named_facts(focus)
        left_open = self._asked_about.names_unnamed(
            asking_sentences(text),
            key if intent == "faq" else None,
            ("conditions",) if intent == "out_of_scope" else KINDS,
        )
        if left_open:
            facts = facts.unstated()
            verdict.update(left_open=True, names_unnamed=True)
        fixed = (
            self.fixed(key, confidence, words, language, focus, facts)
            if intent == "faq"
            else None
        )
        if fixed is not None:
            verdict.update(
                faq=fixed.key,
                faq_fits=fixed.fits,
                faq_coverage=round(fixed.coverage, 4),
                faq_confidence=round(fixed.confidence, 4),
                faq_unanswered=sorted(fixed.unanswered),
            )
            # An answer that says every word asked, or that the classifier is sure
            # of, is not second-guessed: only the others are encoded for it (most
            # already were, for the classifier's second opinion).
            if (
                not left_open
                and self._left_open is not None
                and fixed.coverage < 1.0
                and fixed.confidence < self._config["unanswered_below"]
            ):
                chance = self._left_open.probability(self._vector(focus))
                left_open = chance >= self._config["unanswered_at"]
                verdict.update(left_open=left_open, left_open_p=round(chance, 4))
            if (
                not left_open
                and not prefers_passage(choice, fixed.key)
                and self._stays(fixed, found)
            ):
                # No passage can replace it, whatever the thresholds.
                return {"answer": FAQ, **verdict, "best": None, "words_only": True}
        vector = self._vector(focus)
        # ... and the same choice made from the question's meaning, averaged with it.
        choices = [choice]
        if self._meaning is not None:
            choices.append(self._meaning.blend(choice, vector))
        if fixed is not None:
            fixed = replace(fixed, typical=self._typical(fixed.key, vector))
            verdict["faq_typical"] = round(fixed.typical, 4)
        ranked = self._index.rank(found, vector)[:5]
        kinds = asked_kinds(focus)
        passages = self._data["passages"]
        fits = [
            all(gives(passages[r.index]["text"][language], k) for k in kinds)
            and facts.stated_by(passages[r.index]["text"][language])
            for r in ranked
        ]
        unanswered = fixed.unanswered if fixed is not None else frozenset()
        names = [
            all(self._index.says(r.index, word, language) for word in unanswered)
            for r in ranked
        ]
        candidate = next((r for r, fit in zip(ranked, fits, strict=True) if fit), None)
        # The selector (or the choice from the meaning) chose the FAQ answer too, or
        # the selector chose a passage to quote after it and is unsure of it: the
        # answer stays (with that passage), and no passage replaces it. Where it is
        # sure of the passage, the rules may quote the passage alone. The choice from
        # the meaning may add a passage, but not keep the rules from quoting one alone
        # ("Which techniques does acupuncture massage use?").
        confirmed = fixed is not None and any(confirms(c, fixed.key) for c in choices)
        added, unsure = None, False
        if fixed is not None and fixed.fits:
            says_unsaid = self._says_unsaid(fixed, candidate, language)
            for adding in choices:
                added = adds_detail(fixed, candidate, adding, passages, says_unsaid)
                if added is not None:
                    unsure = adding is choice and adding["confidence"] < ALONE_AT
                    break
        kept = confirmed or unsure
        choice = choices[-1]
        naming = (
            named(fixed, ranked, fits, names, self._config["named_coverage"][language])
            if fixed is not None and fixed.fits and not kept
            else None
        )
        answer, chosen = decide(
            intent,
            fixed,
            ranked,
            fits,
            focus,
            self._config["answer_at"][language],
            self._config["replace_below"],
            naming,
            left_open,
            kept,
        )
        # What the decision read, so that `staff.evaluate_articles` can choose the
        # threshold again from the parse results alone.
        verdict.update(
            answer=answer,
            # Chosen for what the FAQ answer leaves out, whatever the thresholds.
            named=answer == PASSAGE and naming is not None,
            # The passage selector's choice, and whether it kept the FAQ answer.
            chosen_passage=choice.get("passage"),
            chosen_confidence=round(choice.get("confidence", 0.0), 4),
            chosen_faq_confidence=round(
                confidence_in(choice, fixed.key) if fixed else 0.0, 4
            ),
            kept=kept,
            best=passages[candidate.index]["id"] if candidate else None,
            score=round(candidate.score, 4) if candidate else 0.0,
            cosine=round(candidate.cosine, 4) if candidate else 0.0,
            coverage=round(candidate.coverage, 4) if candidate else 0.0,
            faq_covers_best=bool(
                fixed and candidate and candidate.index in fixed.covers
            ),
        )
        if answer != FAQ:
            added = None
        if added is not None:
            # The passage, then the FAQ answer (components/article_policy.py).
            chosen = [added.index]
            verdict["added"] = passages[added.index]["id"]
        if answer == PASSAGE or added is not None:
            verdict["passages"] = [quoted(passages[i]) for i in chosen]
        return verdict

    def _typical(self, key: str, vector: np.ndarray) -> float:
        """The question's cosine to the nearest training example of FAQ answer `key`."""
        examples = self._example_vectors.get(key)
        if examples is None or not len(examples):
            return 1.0  # nothing to compare: as typical as can be
        return float((examples @ vector).max())

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        """The question's sentence vector (the encoder keeps the last few)."""
        return shared_encoder().encode([text])[0]

    def fixed(
        self,
        key: str | None,
        confidence: float,
        words: List[str],
        language: str,
        question: str,
        facts: NamedFacts,
    ) -> Fixed | None:
        """What the FAQ answer `key` says of the question's words and named `facts`."""
        if self._index is None or self._data is None or key not in self._faq_words:
            return None
        # "推拿有多少年历史", "how many therapists": 多少 is not always money. And a
        # question that names its fact (the count of a thing, a language spoken) is
        # not answered by a text on its subject that does not state it.
        text = self._data.get("faq_texts", {}).get(key, {}).get(language)
        fits = (key != PRICES or "number" not in asked_kinds(question)) and (
            text is None or facts.stated_by(text)
        )
        known = self._faq_words[key][language]
        said = self._faq_said[key][language]
        weights = self._index.weights(words, language)
        total = sum(weights.values())
        # A word no passage uses counts only if the answer itself says it.
        covered = sum(
            weight
            for word, weight in weights.items()
            if word in (known if self._index.seen(word, language) else said)
        )
        examples = self._faq_examples[key][language]
        unsaid = frozenset(
            word for word in weights if word not in said and word not in examples
        )
        unanswered = frozenset(
            word
            for word in unsaid
            if 1 <= self._index.used_by(word, language) <= NAMED_BY_AT_MOST
        )
        return Fixed(
            key,
            fits,
            covered / total if total else 0.0,
            frozenset(self._data["faq_covers"][key][language]),
            confidence,
            unanswered,
            unsaid=unsaid,
        )

    def _says_unsaid(self, fixed: Fixed, passage: Ranked | None, language: str) -> bool:
        """Whether a passage the answer covers says a word the answer leaves unsaid.

        Read only for a covered passage, the one case `adds_detail` asks it of.
        """
        return (
            passage is not None
            and passage.index in fixed.covers
            and any(
                self._index.says(passage.index, word, language) for word in fixed.unsaid
            )
        )

    def _stays(self, fixed: Fixed, found: Found) -> bool:
        """Whether `decide` keeps the FAQ answer whatever the passages' cosines are.

        It does when the answer fits and no passage may replace it (its words alone
        tell): a FAQ question answered without encoding it.
        """
        replace_below = self._config["replace_below"]
        if fixed.unanswered:
            return False
        return fixed.fits and not any(
            replaces(index, coverage, fixed, replace_below)
            for index, coverage in enumerate(found.coverage)
        )


def _vocabularies(
    words: Dict[str, Dict[str, List[str]]],
) -> Dict[str, Dict[str, Vocabulary]]:
    return {
        key: {language: Vocabulary(w) for language, w in by_language.items()}
        for key, by_language in words.items()
    }


def quoted(passage: Dict[str, Any]) -> Dict[str, Any]:
    """What the action needs of a passage: its id, words and source, both languages."""
    return {
        "id": passage["id"],
        "text": passage["text"],
        "source": passage["source"],
    }


def _focus_lemmas(message: Message, focus: str) -> List[str]:
    """The lemmas of the message's tokens in its question part."""
    text = message.get(TEXT) or ""
    start = max(len(text) - len(focus), 0)
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return [token.lemma for token in tokens if token.start >= start]


def faq_answers(
    responses: Dict[str, List[Dict[str, Any]]],
) -> Dict[str, Dict[str, str]]:
    """Each FAQ answer's text in English and Chinese, by its key ("faq/prices")."""
    answers: Dict[str, Dict[str, str]] = {}
    for name, variations in responses.items():
        if not name.startswith("utter_faq/"):
            continue
        texts = {}
        for variation in variations:
            conditions = variation.get("condition") or []
            language = "zh" if any(c.get("value") == "zh" for c in conditions) else "en"
            texts.setdefault(language, variation.get("text") or "")
        answers[name[len("utter_") :]] = texts
    return answers


def faq_examples(training_data: TrainingData) -> Dict[str, Dict[str, List[str]]]:
    """Each FAQ answer's examples, by key and language."""
    examples: Dict[str, Dict[str, List[str]]] = {}
    for example in training_data.intent_examples:
        key = example.get(INTENT_RESPONSE_KEY)
        if key and example.get(TEXT):
            language = detect_language(example.get(TEXT)) or "en"
            by_language = examples.setdefault(key, {lang: [] for lang in LANGUAGES})
            by_language[language].append(example.get(TEXT))
    return examples


def build(
    knowledge: Path,
    answers: Dict[str, Dict[str, str]],
    examples: Dict[str, Dict[str, List[str]]],
    unanswered: Path | None = None,
    asked_about: Path | None = None,
) -> Tuple[Dict[str, Any], np.ndarray, np.ndarray]:
    """The index's data (JSON), the passages' and the FAQ examples' sentence vectors.

    `unanswered`: the questions the articles leave open (knowledge/unanswered.yml);
    `asked_about`: the conditions and services visitors name
    (knowledge/asked_about.yml).
    """
    from knowledge.passages import load_passages

    tokenize = document_tokenizer()
    passages = [p for p in load_passages(knowledge) if p.reviewed]
    # What a passage itself says: a visitor's words in the questions it answers are
    # no statement of it (`named`), nor do they make a FAQ answer cover it less.
    said = {
        language: [
            passage_words([p.section.of(language), p.text.of(language)], tokenize)
            for p in passages
        ]
        for language in LANGUAGES
    }
    # ... and its document, for BM25 and coverage: those words and its questions'.
    documents = {
        language: [
            own + passage_words(p.questions.get(language, ()), tokenize)
            for own, p in zip(said[language], passages, strict=True)
        ]
        for language in LANGUAGES
    }
    texts, owners = [], []
    for index, passage in enumerate(passages):
        for language in LANGUAGES:
            for text in (
                passage.text.of(language),
                *passage.questions.get(language, ()),
            ):
                texts.append(text)
                owners.append(index)
    vectors = shared_encoder().encode(texts).astype(np.float32)
    example_keys, example_texts = [], []
    for key in answers:
        for language in LANGUAGES:
            for text in examples.get(key, {}).get(language, []):
                example_keys.append(key)
                example_texts.append(text)
    example_vectors = (
        shared_encoder().encode(example_texts).astype(np.float32)
        if example_texts
        else np.zeros((0, vectors.shape[1]), np.float32)
    )
    left_open = Unanswered.fit(*_open_and_answered(unanswered, examples, passages))
    faq_said = {
        key: {
            language: sorted(set(passage_words([texts_.get(language, "")], tokenize)))
            for language in LANGUAGES
        }
        for key, texts_ in answers.items()
    }
    # Not the FAQ's examples: they teach the classifier "what should I wear" is a
    # question for what-to-expect, which the answer does not say (docs/performance.md).
    faq_words = {
        key: {language: list(words) for language, words in by_language.items()}
        for key, by_language in faq_said.items()
    }
    covers = _add_covered_passages(faq_words, faq_said, documents, said)
    faq_examples_words = {
        key: {
            language: sorted(
                set(passage_words(examples.get(key, {}).get(language, []), tokenize))
            )
            for language in LANGUAGES
        }
        for key in answers
    }
    # What the articles and the fixed answers state, in both languages.
    stated = [
        text
        for p in passages
        for language in LANGUAGES
        for text in (p.section.of(language), p.text.of(language))
    ] + [text for texts_ in answers.values() for text in texts_.values()]
    data = {
        "unanswered": left_open.to_json() if left_open else None,
        "unnamed_asked_about": unnamed_patterns(
            load_asked_about(asked_about) if asked_about is not None else [],
            stated,
            {
                key: [t for texts_ in examples.get(key, {}).values() for t in texts_]
                for key in answers
            },
        ),
        "passages": [
            {
                "id": p.id,
                "text": {lang: p.text.of(lang) for lang in LANGUAGES},
                "source": {lang: p.source(lang) for lang in LANGUAGES},
            }
            for p in passages
        ],
        "documents": documents,
        "said": said,
        "owners": owners,
        "faq_words": faq_words,
        "faq_said": faq_said,
        "faq_examples": faq_examples_words,
        "faq_covers": covers,
        "faq_texts": answers,
        "example_keys": example_keys,
    }
    return data, vectors, example_vectors


def meaning_choice(
    data: Dict[str, Any], vectors: np.ndarray, example_vectors: np.ndarray
) -> MeaningChoice | None:
    """The passage selector's choice learnt from the sentence vectors `build` made.

    The passages' texts and questions under their passage's key, the FAQ examples
    under their answer's: the labels the selector learns. None with fewer than two
    answers to choose between.
    """
    passages = data["passages"]
    keys = [passage_key(passages[owner]["id"]) for owner in data["owners"]]
    if len({*keys, *data["example_keys"]}) < 2:
        return None
    return MeaningChoice.fit(
        np.concatenate([vectors, example_vectors]).astype(np.float32),
        keys + list(data["example_keys"]),
    )


def _open_and_answered(
    unanswered: Path | None,
    examples: Dict[str, Dict[str, List[str]]],
    passages: Sequence[Any],
) -> Tuple[np.ndarray, np.ndarray]:
    """Sentence vectors of the questions the articles leave open, and of the rest."""
    left_open = (
        [q for qs in load_unanswered(unanswered).values() for q in qs]
        if unanswered is not None
        else []
    )
    if not left_open:
        return np.zeros((0, 512), np.float32), np.zeros((0, 512), np.float32)
    answered = answered_texts(
        examples,
        [q for p in passages for lang in LANGUAGES for q in p.questions.get(lang, ())],
    )
    encode = shared_encoder().encode
    return encode(left_open), encode(answered)


# A FAQ answer covers a passage when it says this much of the passage's words, and
# about as much as the answer that says most of them: it then answers what the
# passage's questions ask, in their words too ("does it hurt" of a text on discomfort).
COVERED_AT = 0.4
COVERED_WITHIN = 0.05


def _add_covered_passages(
    faq_words: Dict[str, Dict[str, List[str]]],
    faq_said: Dict[str, Dict[str, List[str]]],
    documents: Dict[str, List[List[str]]],
    said: Dict[str, List[List[str]]],
) -> Dict[str, Dict[str, List[int]]]:
    """Adds the words of the passages each answer covers; returns which they are.

    An answer covers a passage that it says most of the words of (`said`: the
    passage's heading and text); it then knows the passage's questions' words too.
    """
    covers: Dict[str, Dict[str, List[int]]] = {
        key: {language: [] for language in documents} for key in faq_words
    }
    for language, docs in documents.items():
        for index, document in enumerate(docs):
            distinct = set(document)
            own = set(said[language][index])
            if not own:
                continue
            shares = {
                key: len(own & set(words[language])) / len(own)
                for key, words in faq_said.items()
            }
            most = max(shares.values(), default=0.0)
            for key, share in shares.items():
                if share >= COVERED_AT and share >= most - COVERED_WITHIN:
                    covers[key][language].append(index)
                    faq_words[key][language] = sorted(
                        set(faq_words[key][language]) | distinct
                    )
    return covers


def document_tokenizer():
    """The project's tokenizer as a function of text to lemmas, for typed text."""
    from components.bilingual_tokenizer import BilingualTokenizer

    tokenizer = BilingualTokenizer(
        {
            **BilingualTokenizer.get_default_config(),
            "sound_alikes": False,
            "pinyin": False,
        }
    )

    def lemmas(text: str) -> List[str]:
        return [
            token.lemma for token in tokenizer.tokenize(Message({TEXT: text}), TEXT)
        ]

    return lemmas
