"""The deck's own words (agenda, quiz, answer …) in each language the deck may be written in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    agenda: str
    quiz: str
    answer: str
    explanation: str
    continued: str
    continues_from: str  # the first line of a continuation slide's notes
    back_to_agenda: str
    chapter: str
    objectives: str
    minutes: str
    step: str
    total: str
    lang_tag: str


WORDS = {
    "ko": Words(
        agenda="목차",
        quiz="퀴즈",
        answer="정답",
        explanation="해설",
        continued="(계속)",
        continues_from="앞 슬라이드 '{title}'에서 이어집니다.",
        back_to_agenda="◀ 목차",
        chapter="챕터",
        objectives="학습 목표",
        minutes="분",
        step="단계",
        total="합계",
        lang_tag="ko-KR",
    ),
    "en": Words(
        agenda="Agenda",
        quiz="Quiz",
        answer="Answer",
        explanation="Why",
        continued="(cont.)",
        continues_from="Continues '{title}' from the previous slide.",
        back_to_agenda="◀ Agenda",
        chapter="Chapter",
        objectives="Objectives",
        minutes="min",
        step="Step",
        total="Total",
        lang_tag="en-US",
    ),
}


def words_for(language: str) -> Words:
    """Give the deck's own words in `language` (`ko` or `en`)."""
    return WORDS[language]
