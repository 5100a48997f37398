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


# What a list shows of each rating: the API's rating output and its changeable_until.
_LISTED_RATING = ("id", "ticket_id", "score", "comment", "agent_id", "created_at", "updated_at")


def attach_ratings(tickets: list[Ticket]) -> None:
    """Give each ticket of a page its rating (or none), with the rating's agent by username.

    One query, reading what a list shows only; a prefetch read each rating
    and its agent whole (the password hash included) through the ORM's
    related lookups. Any other field loads when asked for.
    """
    if not tickets:
        return
    database = tickets[0]._state.db
    rows = (
        Rating.objects.using(database)
        .filter(ticket_id__in=[ticket.pk for ticket in tickets])
        .values_list(*_LISTED_RATING, "agent__username")
    )
    to_rating, to_ticket = Ticket.rating.related, Rating.ticket.field
    to_agent = Rating.agent.field
    ratings: dict[int, Rating] = {}
    for *values, username in rows:
        rating = Rating.from_db(database, list(_LISTED_RATING), values)
        agent = None
        if rating.agent_id is not None:
            agent = User.from_db(database, ["id", "username"], (rating.agent_id, username))
        to_agent.set_cached_value(rating, agent)
        ratings[rating.ticket_id] = rating
    # Cached as a prefetch would: a ticket without a rating has None, so reading it asks nothing.
    for ticket in tickets:
        found = ratings.get(ticket.pk)
        to_rating.set_cached_value(ticket, found)
        if found is not None:
            to_ticket.set_cached_value(found, ticket)
