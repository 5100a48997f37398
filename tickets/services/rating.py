"""The buyer's rating of the help on a ticket: given once it is solved, changeable for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from support_desk.errors import DomainError
from tickets.models import EventKind, Rating, Ticket
from tickets.services._common import TicketNotFound, event_write, lock_ticket
from tickets.status import Status

SCORE_MIN = 1
SCORE_MAX = 5
COMMENT_MAX = 2000
# A ticket is rated once it is finished.
RATEABLE = (Status.SOLVED, Status.CLOSED)


class InvalidRating(DomainError):
    code = "invalid_rating"


class RatingNotAllowed(DomainError):
    """The ticket is not solved or closed (yet, or any more)."""

    code = "rating_not_allowed"
    status = 409


class RatingLocked(DomainError):
    """The time to change the rating has passed."""

    code = "rating_locked"
    status = 409


def rating_change_window() -> timedelta:
    """Return how long after it was first given a rating may still be changed."""
    return timedelta(days=getattr(settings, "DESK_RATING_CHANGE_DAYS", 7))


def rating_changeable_until(rating: Rating) -> datetime:
    """Return the moment after which ``rating`` is read-only."""
    return rating.created_at + rating_change_window()


def ticket_can_be_rated(ticket: Ticket) -> bool:
    return ticket.status in RATEABLE


def _check(score: object, comment: str) -> tuple[int, str]:
    """Return the score and the trimmed comment; raise InvalidRating naming the field."""
    value = 0
    if isinstance(score, int) and not isinstance(score, bool):
        value = score
    elif isinstance(score, str) and score.strip().isdigit():
        value = int(score.strip())
    if not SCORE_MIN <= value <= SCORE_MAX:
        message = _("Choose a rating from %(min)d to %(max)d.") % {
            "min": SCORE_MIN,
            "max": SCORE_MAX,
        }
        raise InvalidRating(message, details={"score": message})
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        message = _("At most %(n)d characters.") % {"n": COMMENT_MAX}
        raise InvalidRating(message, details={"comment": message})
    return value, comment


def ticket_rate(*, ticket_id: int, buyer: User, score: int, comment: str, now: datetime) -> Rating:
    """Give or change the buyer's rating (1–5, optional comment) of their solved or closed ticket.

    The rating names the agent who handled the ticket (its assignee) and
    writes a RATED event in the same transaction; the ticket's ``updated_at``
    moves so integrators syncing changes see it. A rating may be changed for
    ``DESK_RATING_CHANGE_DAYS`` after it was first given. Raises
    InvalidRating (score outside 1–5, comment too long), TicketNotFound (not
    the buyer's), RatingNotAllowed (not solved or closed), RatingLocked (too
    late to change).
    """
    score, comment = _check(score, comment)
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.buyer_id != buyer.pk:
            raise TicketNotFound("No such ticket.")
        if not ticket_can_be_rated(ticket):
            raise RatingNotAllowed(
                _("You can rate the help once the request is solved."),
                details={"status": ticket.status},
            )
        rating = Rating.objects.filter(ticket=ticket).first()
        before = ""
        if rating is None:
            rating = Rating(ticket=ticket, agent_id=ticket.assignee_id, created_at=now)
        elif now > rating_changeable_until(rating):
            raise RatingLocked(_("This rating can no longer be changed."))
        else:
            before = str(rating.score)
        rating.score = score
        rating.comment = comment
        rating.updated_at = now
        rating.save()
        ticket.updated_at = now
        ticket.save(update_fields=["updated_at"])
        event_write(
            ticket=ticket,
            kind=EventKind.RATED,
            now=now,
            actor=buyer,
            from_value=before,
            to_value=score,
            reason=comment,
        )
    return rating
