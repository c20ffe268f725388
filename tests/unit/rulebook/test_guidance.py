"""The rulebook's whole-decision guidance and interview rubric: they load, every statement is in
both languages with a source, every topic compares all three paths, and the rubric anchors
every score of every criterion (what recruitment's assessors score on, issue 19)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import yaml

from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.guidance import InterviewTopic, Note, Topic
from altmatch.rulebook.loader import RulebookError, parse_rulebook
from altmatch.rulebook.schema import Text
from altmatch.rulebook.vocabulary import HiringPath

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook(2026)


def _notes(topic: Topic) -> Iterator[Note]:
    yield topic.summary
    yield from topic.paths.values()
    yield from topic.points
    if isinstance(topic, InterviewTopic):
        yield from topic.self_check


def _texts(book: Rulebook) -> Iterator[tuple[str, Text]]:
    for key, topic in book.guidance.topics():
        yield f"{key}.title", topic.title
        if topic.points_title is not None:
            yield f"{key}.points_title", topic.points_title
        for i, note in enumerate(_notes(topic)):
            yield f"{key}[{i}]", note.text
    for criterion in book.interview_rubric.criteria:
        yield f"{criterion.id}.name", criterion.name
        yield f"{criterion.id}.description", criterion.description
        for anchor in criterion.anchors:
            yield f"{criterion.id}.{anchor.score}", anchor.text
        for i, question in enumerate(criterion.questions):
            yield f"{criterion.id}.question[{i}]", question


def _broken(change: Any) -> str:
    raw = yaml.safe_load((resources.files("altmatch.rulebook") / "2026.yaml").read_text("utf-8"))
    change(raw)
    return yaml.safe_dump(raw, allow_unicode=True)


def test_the_topics_come_in_the_order_the_advisor_shows_them(book: Rulebook) -> None:
    keys = [key for key, _ in book.guidance.topics()]

    assert keys == ["alumni", "training", "transfers", "supervisor", "interview", "strategy"]


def test_every_topic_compares_all_three_paths_with_a_dated_source(book: Rulebook) -> None:
    for key, topic in book.guidance.topics():
        assert set(topic.paths) == set(HiringPath), key
        for note in _notes(topic):
            assert note.source.scheme in {"http", "https"}, key
            assert note.as_of <= dt.date(2026, 12, 31), key
            assert not note.estimate or note.note, f"{key}: an estimate says why"


def test_every_text_is_written_in_english_and_in_japanese(book: Rulebook) -> None:
    texts = dict(_texts(book))

    assert len(texts) > 80
    for where, text in texts.items():
        assert text.en.strip() and text.ja.strip(), where
        assert JAPANESE.search(text.ja), f"{where}: the Japanese is not Japanese: {text.ja!r}"
        assert text.ja != text.en, where


def test_the_interview_topic_has_a_self_check_and_questions_to_ask_are_listed(
    book: Rulebook,
) -> None:
    assert len(book.guidance.interview.self_check) >= 5
    assert book.guidance.supervisor.points, "questions to ask about the supervisor"
    assert book.guidance.strategy.points, "what to do if things do not go to plan"


def test_the_rubric_anchors_every_score_from_one_to_five_for_each_criterion(
    book: Rulebook,
) -> None:
    rubric = book.interview_rubric

    assert (rubric.min_score, rubric.max_score) == (1, 5)
    assert [c.id for c in rubric.criteria] == [
        "communication",
        "adaptability",
        "cultural_interest",
        "teaching_aptitude",
        "motivation",
    ]
    for criterion in rubric.criteria:
        assert sorted(a.score for a in criterion.anchors) == [1, 2, 3, 4, 5], criterion.id
        assert len({a.text.en for a in criterion.anchors}) == 5, criterion.id
        assert len(criterion.questions) >= 2, criterion.id


def test_the_rubric_checks_a_score_the_way_an_assessors_form_would(book: Rulebook) -> None:
    rubric = book.interview_rubric

    assert rubric.accepts("communication", 1) and rubric.accepts("motivation", 5)
    assert not rubric.accepts("communication", 0)
    assert not rubric.accepts("communication", 6)
    assert not rubric.accepts("charisma", 3)
    assert rubric.criterion("adaptability").anchor(3).text.en.startswith("Gives a real example")
    with pytest.raises(KeyError):
        rubric.criterion("charisma")


def test_the_jet_calendar_runs_interviews_then_results_then_placement(book: Rulebook) -> None:
    cycle = book.guidance.timing.jet

    assert (cycle.interviews.first, cycle.interviews.last) == (1, 2)
    assert cycle.interviews.last < cycle.results.first <= cycle.results.last
    assert cycle.results.last < cycle.placement_notice.first
    assert cycle.alternate_upgrades.last == 12


def test_a_rubric_criterion_missing_an_anchor_is_refused_and_named() -> None:
    text = _broken(lambda raw: raw["interview_rubric"]["criteria"][1]["anchors"].pop(2))

    with pytest.raises(RulebookError, match=r"interview_rubric: .*adaptability.*1-5"):
        parse_rulebook(text, origin="broken.yaml")


def test_two_criteria_with_one_id_are_refused() -> None:
    def clash(raw: dict[str, Any]) -> None:
        raw["interview_rubric"]["criteria"][1]["id"] = "communication"

    with pytest.raises(RulebookError, match=r"duplicate criterion ids: \['communication'\]"):
        parse_rulebook(_broken(clash), origin="broken.yaml")


def test_a_topic_that_leaves_out_a_path_is_refused_and_named() -> None:
    text = _broken(lambda raw: raw["guidance"]["transfers"]["paths"].pop("dispatch"))

    with pytest.raises(RulebookError, match=r"guidance\.transfers: .*paths missing: .*dispatch"):
        parse_rulebook(text, origin="broken.yaml")


def test_a_japanese_text_left_out_is_refused_and_named() -> None:
    text = _broken(lambda raw: raw["guidance"]["alumni"]["summary"]["text"].pop("ja"))

    with pytest.raises(RulebookError, match=r"guidance\.alumni\.summary\.text\.ja"):
        parse_rulebook(text, origin="broken.yaml")
