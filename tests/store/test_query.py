"""What a query plainly is before matching: codes, grades, small talk, topics, pieces."""

from __future__ import annotations

import pickle

from store import query as q

BOOK = q.phrasebook(("Қарағанды облысы", "Караганда", "Теміртау"))


def test_filler_words_carry_no_meaning() -> None:
    meaningful = [
        t.text for t in q.tokens("сколько мест на сварщика в Караганде") if not BOOK.is_filler(t)
    ]
    assert meaningful == ["сварщика"]
    assert not BOOK.is_filler(q.token("ауыл"))  # a word of a topic ("ауыл шаруашылығы")
    # A town the dictionary lacks, in a Russian case the analyzer inflects by analogy
    towns = q.phrasebook(("Ботакара", "Осакаровка"))
    assert all(towns.is_filler(q.token(w)) for w in ("Ботакаре", "Осакаровке", "Осакаровкой"))
    # A joining word stays filler, though a topic's phrase has it ("бизнес және басқару")
    assert BOOK.is_filler(q.token("және"))


def test_a_level_of_study_is_taken_out_only_whole() -> None:
    def left(text: str) -> list[str]:
        return [t.text for t in q.without_levels(BOOK, q.tokens(text))]

    assert left("на прикладного бакалавриата медсестры") == ["на", "медсестры"]
    assert left("қолданбалы бакалавриатқа мейіргер") == ["мейіргер"]
    assert left("applied bachelor nursing") == ["nursing"]
    # "бакалавр" alone is a university's degree; "прикладной" alone is any word's adjective
    assert left("бакалавр экономики") == ["бакалавр", "экономики"]
    assert left("прикладной дизайн") == ["прикладной", "дизайн"]


def test_grades() -> None:
    assert q.grade("повар после 9 класса") == 9
    assert q.grade("11 сыныптан кейін") == 11
    assert q.grade("на базе 9") == 9
    assert q.grade("06130100") is None


def test_codes_and_qualification_codes() -> None:
    assert q.codes(BOOK, "4S06130103") == ["06130100"]
    assert q.codes(BOOK, "код 07161300") == ["07161300"]
    assert q.codes(BOOK, "0613 0100") == ["06130100"]
    assert q.codes(BOOK, "сколько мест 06130100") == ["06130100"]
    assert q.codes(BOOK, "9 класс программист") == []
    assert q.codes(BOOK, "повар 9 класс") == []
    # A qualification code among other words, and its level typed as the letter "З"
    assert q.codes(BOOK, "диплом 4S04110103 это какая специальность") == ["04110100"]
    assert q.codes(BOOK, "ЗW10130301") == ["10130300"]
    # Years and dates beside words are no qualification codes
    assert q.codes(BOOK, "сколько мест на повара за 2025-2026 год") == []
    assert q.codes(BOOK, "повар 2 на 25.08.2025") == []


def test_small_talk() -> None:
    assert q.smalltalk(BOOK, "Привет!") == "greeting"
    assert q.smalltalk(BOOK, "спасибоо") == "thanks"  # a slip
    # Slips counted as typos: a swap ("привте"), two vowels heard alike ("памагите")
    assert q.smalltalk(BOOK, "привте") == "greeting"
    assert q.smalltalk(BOOK, "памагите") == "help"
    # No typo of small talk: a dictionary word of its own, or another first letter
    assert q.smalltalk(BOOK, "салат") is None
    assert q.smalltalk(BOOK, "хорошие") is None
    assert q.smalltalk(BOOK, "балам") is None  # "my child", not "салам"
    assert q.smalltalk(BOOK, "привет, хочу на повара") is None
    # Small-talk words in any order; a noun that begins with a verb stem's letters is not
    assert q.smalltalk(BOOK, "немен көмектесе аласың") == "help"
    assert q.smalltalk(BOOK, "көмекші") is None  # "an assistant"
    assert q.smalltalk(BOOK, "список поваров") is None


def test_pieces_of_a_query_naming_several() -> None:
    assert q.parts(BOOK, "повар и сварщик") == ["повар", "сварщик"]
    assert q.parts(BOOK, "сравни: аспаз, кондитер") == ["сравни: аспаз", "кондитер"]
    assert q.compares(BOOK, "сравни повар и кондитер")


def test_topics_and_pointers() -> None:
    assert q.topic(BOOK, q.tokens("медицинские специальности")) == "09"
    assert q.topic(BOOK, q.tokens("техник")) is None
    assert q.topic(BOOK, q.tokens("IT sphere")) == "06"  # a word asking for a field
    assert q.related_field(BOOK, q.tokens("врач")) == "09"


def test_topic_words_read_by_queries_are_kept_but_never_saved() -> None:
    """A query's words are read for their topics once; a saved index (a pickle of the
    engine and its phrasebook) does not carry them."""
    assert q.topic(BOOK, q.tokens("медицина")) == "09"
    assert q.tokens("медицина")[0] in BOOK.topic_words_seen
    again = pickle.loads(pickle.dumps(BOOK))
    assert again.topic_words_seen == {}
    assert q.topic(again, q.tokens("медицина")) == "09"


def test_a_kazakh_word_keeps_its_stems_but_no_other_russian_word_s_forms() -> None:
    # "салу" (to build) is also the Russian dative of "сало"; "хорды" is "of a chord"
    assert q.token("салу").as_kazakh().forms == ("salu",)
    assert "horda" not in q.token("хорды").as_kazakh().forms
    # A Russian reading the word begins with is a stem of it; so is a Kazakh stem whose
    # last letter is voiced by the ending ("шаруашылығы": "шаруашылық")
    assert "tehnik" in q.token("техника").as_kazakh().forms
    assert "sharuashilik" in q.token("шаруашылығы").as_kazakh().forms


def test_kazakh_filler_words_do_not_make_russian_look_alikes_filler() -> None:
    book = q.phrasebook()
    assert book.is_filler(q.token("сала"))  # a field, in a question
    assert not book.is_filler(q.token("салу"))  # to build, a word of a name
