"""Live-check statements prepared once per PostgreSQL connection, and run as they are elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction

from support_desk import prepared
from tests.factories import BuyerFactory
from tickets.status import Status

pytestmark = pytest.mark.django_db

SQL = "SELECT email FROM accounts_user WHERE id = %s AND is_active = %s"


def prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements ORDER BY name")
        return [name for (name,) in cursor.fetchall()]


def test_placeholders_are_numbered_for_prepare() -> None:
    assert prepared.numbered(SQL) == (
        "SELECT email FROM accounts_user WHERE id = $1 AND is_active = $2"
    )
    with pytest.raises(ValueError, match="no %"):
        prepared.numbered("SELECT 1 WHERE 'a' LIKE 'a%' AND 1 = %s")


def test_the_name_follows_the_text() -> None:
    assert prepared.statement_name(SQL) == prepared.statement_name(SQL)
    assert prepared.statement_name(SQL) != prepared.statement_name(SQL + " LIMIT 1")
    assert prepared.statement_name(SQL).startswith("desk_")


def test_a_statement_answers_the_same_rows_prepared_or_not(settings) -> None:
    buyer = BuyerFactory(email="ana@example.com")
    assert prepared.fetch_one(SQL, [buyer.pk, True]) == ("ana@example.com",)
    assert prepared.fetch_one(SQL, [buyer.pk, False]) is None
    settings.DATABASE_PREPARED_STATEMENTS = False
    assert prepared.fetch_one(SQL, [buyer.pk, True]) == ("ana@example.com",)


def test_it_is_prepared_once_per_connection(postgres: None) -> None:
    buyer = BuyerFactory()
    name = prepared.statement_name(SQL)
    for _ in range(3):
        prepared.fetch_one(SQL, [buyer.pk, True])
    assert prepared_here().count(name) == 1

    # A rollback does not take the statement away (PREPARE is not transactional).
    with pytest.raises(DatabaseError), transaction.atomic():
        prepared.fetch_one(SQL, [buyer.pk, True])
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
    assert prepared.fetch_one(SQL, [buyer.pk, True]) is not None


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again(postgres: None) -> None:
    buyer = BuyerFactory()
    prepared.fetch_one(SQL, [buyer.pk, True])
    connection.close()

    assert prepared.fetch_one(SQL, [buyer.pk, True]) is not None
    assert prepared.statement_name(SQL) in prepared_here()


def test_nothing_is_prepared_when_turned_off(postgres: None, settings) -> None:
    settings.DATABASE_PREPARED_STATEMENTS = False
    buyer = BuyerFactory()
    off = SQL + " LIMIT 1"
    assert prepared.fetch_one(off, [buyer.pk, True]) is not None
    assert prepared.statement_name(off) not in prepared_here()


def test_only_the_codes_constants_are_written_into_a_statement() -> None:
    assert prepared.code_literal(Status.QUEUED) == "'queued'"
    for value in ("queued'; DROP TABLE tickets_ticket; --", "Queued", ""):
        with pytest.raises(ValueError, match="not a code constant"):
            prepared.code_literal(value)


def test_datetimes_read_back_as_django_reads_them() -> None:
    moment = datetime(2026, 11, 23, 8, 37, 5, 120000, tzinfo=UTC)
    assert prepared.as_datetime(moment) == moment
    # SQLite hands written-out statements text, in UTC.
    assert prepared.as_datetime("2026-11-23 08:37:05.120000") == moment
    assert prepared.as_datetime(datetime(2026, 11, 23, 8, 37, 5, 120000)) == moment
    with pytest.raises(ValueError, match="not a datetime"):
        prepared.as_datetime("yesterday")
