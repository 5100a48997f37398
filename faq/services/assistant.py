"""The assistant: a buyer's question answered from the help centre, and whether it helped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from faq.models import AssistantQuestion
from faq.search import SearchHit, faq_search
from faq.services._common import check_language, check_visitor
from support_desk.errors import DomainError

# Below this score the assistant says it found nothing rather than guess.
ASSISTANT_MIN_CONFIDENCE = 0.45
ASSISTANT_MAX_ANSWERS = 3


@dataclass(frozen=True)
class AssistantReply:
    question: AssistantQuestion
    hits: list[SearchHit]

    @property
    def answered(self) -> bool:
        return self.question.answered


def assistant_ask(*, question: str, language: str, visitor: str, now: datetime) -> AssistantReply:
    """Answer a free-text question with the best matching entries, or honestly none.

    Only hits scoring at least ASSISTANT_MIN_CONFIDENCE are offered; what was
    asked and what was offered is recorded.
    """
    check_language(language)
    hits = [
        hit
        for hit in faq_search(query=question, language=language, limit=10)
        if hit.score >= ASSISTANT_MIN_CONFIDENCE
    ][:ASSISTANT_MAX_ANSWERS]
    record = AssistantQuestion.objects.create(
        question=question[:2000],
        language=language,
        visitor=check_visitor(visitor),
        best_entry_id=hits[0].entry_id if hits else None,
        confidence=hits[0].score if hits else 0.0,
        answered=bool(hits),
        created_at=now,
    )
    return AssistantReply(question=record, hits=hits)


class AssistantQuestionNotFound(DomainError):
    code = "not_found"
    status = 404


def assistant_feedback(*, question_id: int, visitor: str, helpful: bool) -> AssistantQuestion:
    """Record whether the assistant's answer helped; only its asker may say so."""
    updated = AssistantQuestion.objects.filter(pk=question_id, visitor=visitor).update(
        helpful=helpful
    )
    if not updated:
        raise AssistantQuestionNotFound("No such question of yours.")
    return AssistantQuestion.objects.get(pk=question_id)
