import jieba
import pytest

from components.sound_alike import SoundAlikes, readings


@pytest.fixture(scope="module")
def sound_alikes() -> SoundAlikes:
    words = jieba.Tokenizer()
    words.initialize()
    return SoundAlikes(lambda run: words.FREQ.get(run, 0) > 0)


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("推那疼不疼", "推拿疼不疼"),
        ("真久有用吗", "针灸有用吗"),
        ("按磨和医疗按么去别是什么", "按摩和医疗按摩区别是什么"),
        ("中要有副作用吗", "中药有副作用吗"),
        ("拔灌会留印子吗", "拔罐会留印子吗"),
        ("我在敏行", "我在闵行"),
        ("刮沙", "刮痧"),
        ("颈锥不舒服", "颈椎不舒服"),
        ("经椎酸", "颈椎酸"),
        ("学位按磨是什么", "穴位按摩是什么"),  # 学位 alone is a word (a degree)
        ("针灸怎么手费", "针灸怎么收费"),
        ("我想语约明天", "我想预约明天"),
        ("小二推拿几岁能做", "小儿推拿几岁能做"),
        ("推哪痛不痛", "推拿痛不痛"),
        ("腿拿是什么", "推拿是什么"),
    ],
)
def test_a_voice_transcripts_sound_alikes_read_as_the_clinics_words(
    sound_alikes, heard, meant
):
    assert sound_alikes(heard) == meant
    assert len(sound_alikes(heard)) == len(heard)  # token offsets stay valid


@pytest.mark.parametrize(
    "text",
    [
        "这个很重要",  # "important" is a word: not 中药
        "民航大学",  # civil aviation: a word, not 闵行
        "推拿多少钱",
        "针灸医疗按摩",
        "今天天气不错",
        "推拿是哪来的",  # 推拿 + 是 ("is"), not 推拿师
        "针灸是什么原理",
        "首付多少",  # shoufu: not shoufei
        "帮我点吃的",  # 点吃 ("order food") sounds like 电池: no battery read
        "他有硕士学位",  # a degree
    ],
)
def test_words_and_the_clinics_own_terms_are_left_alone(sound_alikes, text):
    assert sound_alikes(text) == text


def test_readings_ignore_tones_and_list_every_reading():
    assert {"xing", "hang"} <= readings("行")
    assert readings("推") == {"tui"}
    assert readings("A") == frozenset()


def test_only_visitors_messages_are_read_for_sound_alikes():
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from components.bilingual_tokenizer import BilingualTokenizer

    tokenizer = BilingualTokenizer(BilingualTokenizer.get_default_config())
    typed = Message({"text": "推那疼不疼", "intent": "faq"})
    tokenizer.process_training_data(TrainingData([typed]))
    assert "推拿" not in [t.lemma for t in typed.get("text_tokens")]
    [heard] = tokenizer.process([Message({"text": "推那疼不疼"})])
    assert heard.get("text_tokens")[0].lemma == "推拿"
