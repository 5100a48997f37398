"""Reads of people, scoped to what the caller may see."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model, QuerySet

from accounts.models import Role, User


def buyer_list(*, email: str | None = None, username: str | None = None) -> QuerySet[User]:
    """Return buyer accounts, optionally only the one with this email or username."""
    buyers = User.objects.filter(role=Role.BUYER, is_active=True)
    if email is not None:
        buyers = buyers.filter(email__iexact=email)
    if username is not None:
        buyers = buyers.filter(username=username)
    return buyers


def email_in_use(email: str) -> bool:
    """Return True when any account, open or closed, has this email."""
    return User.objects.filter(email__iexact=email).exists()


def account_list_with_email(email: str) -> list[User]:
    """Return every account, open or closed, with this email, oldest first."""
    return list(User.objects.filter(email__iexact=email).order_by("pk"))


def attach_people(
    rows: Sequence[Model], *, relations: tuple[str, ...], columns: tuple[str, ...]
) -> None:
    """Give ``rows`` (of one model) the people of ``relations``, each read as its id and ``columns``.

    One query for all of them, and far less CPU than a prefetch, which reads
    every column and builds its query through the ORM's related lookups. Any
    other field of a person is read from the database when asked for, so only
    code that uses ``columns`` should be given them.
    """
    if not rows:
        return
    fields = [getattr(type(rows[0]), name).field for name in relations]
    ids = {getattr(row, field.attname) for field in fields for row in rows} - {None}
    if not ids:
        return
    database = rows[0]._state.db
    people = {
        values[0]: User.from_db(database, ["id", *columns], values)
        for values in User.objects.using(database).filter(pk__in=ids).values_list("id", *columns)
    }
    # Someone deleted since the rows were read is left to load (or fail) as Django would.
    for field in fields:
        for row in rows:
            person_id = getattr(row, field.attname)
            if person_id is None or person_id in people:
                field.set_cached_value(row, people.get(person_id))
