"""Reads of buyers' ratings: one ticket's, and an agent's recent average."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count

from accounts.models import User
from tickets.models import Rating, Ticket
from tickets.services.rating import rating_changeable_until, ticket_can_be_rated

# The agent workspace shows the average over this many days.
AGENT_SUMMARY_DAYS = 30


@dataclass(frozen=True)
class RatingView:
    """A ticket's rating as a page shows it: whether it (or a first one) can still be given."""

    rating: Rating | None
    can_rate: bool
    changeable_until: datetime | None

    @property
    def is_locked(self) -> bool:
        return self.rating is not None and not self.can_rate


def ticket_rating_get(*, ticket: Ticket) -> Rating | None:
    """Return the ticket's rating with its agent, or None (one query)."""
    return Rating.objects.filter(ticket=ticket).select_related("agent").first()


def ticket_rating_view(*, ticket: Ticket, now: datetime) -> RatingView:
    """Return the ticket's rating and whether its buyer may give or change it now."""
    rating = ticket_rating_get(ticket=ticket)
    if rating is None:
        return RatingView(rating=None, can_rate=ticket_can_be_rated(ticket), changeable_until=None)
    until = rating_changeable_until(rating)
    return RatingView(
        rating=rating,
        can_rate=ticket_can_be_rated(ticket) and now <= until,
        changeable_until=until,
    )


@dataclass(frozen=True)
class RatingSummary:
    average: float | None
    count: int


def agent_rating_summary(
    *, agent: User, now: datetime, days: int = AGENT_SUMMARY_DAYS
) -> RatingSummary:
    """Return the agent's average score and number of ratings given in the last ``days``."""
    row = Rating.objects.filter(agent=agent, created_at__gt=now - timedelta(days=days)).aggregate(
        average=Avg("score"), count=Count("id")
    )
    average = row["average"]
    return RatingSummary(
        average=round(float(average), 1) if average is not None else None, count=row["count"]
    )
