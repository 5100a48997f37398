"""SQL building blocks of the reports: business minutes, percentiles, upserts.

Each runs in the database on PostgreSQL and on SQLite: PostgreSQL gets its
native forms (``EXTRACT(EPOCH ...)``, ``percentile_cont``), SQLite portable
ones (``julianday``, ranks from window functions).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from django.db import NotSupportedError, connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Floor, Greatest, Least

from reports.models import BusinessPeriod


class EpochMinutes(Func):
    """Minutes since 1970-01-01 00:00 UTC of a datetime, as a float."""

    arity = 1
    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision) / 60.0)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django keeps datetimes as UTC text; julianday() reads it, fractions included.
        template = "((julianday(%(expressions)s) - 2440587.5) * 1440.0)"
        return self.as_sql(compiler, connection, template=template, **extra)


def business_clock(moment: OuterRef, hours_id: OuterRef) -> Subquery:
    """Return a calendar's running total of open minutes at ``moment``.

    Both arguments refer to the query this is used in (``OuterRef`` one
    level further out for each subquery between). The difference of two
    totals is the business minutes between two moments. Empty when the
    calendar's stored periods do not reach back to ``moment``.
    """
    at = EpochMinutes(moment)
    # Periods start on whole minutes: comparing whole minutes keeps the index usable.
    whole = Cast(Floor(at), BigIntegerField())
    period = (
        BusinessPeriod.objects.filter(hours_id=hours_id, starts_minute__lte=whole)
        .order_by("-starts_minute")
        .annotate(
            clock=F("open_before")
            + Least(
                F("ends_minute") - F("starts_minute"),
                Greatest(Value(0.0), at - F("starts_minute")),
                output_field=FloatField(),
            )
        )
        .values("clock")[:1]
    )
    return Subquery(period, output_field=FloatField())


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``.

    Interpolates between the two nearest values, ignoring empty ones. Other
    databases use :func:`percentiles`, which computes the same in portable SQL.
    """

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError(f"A percentile fraction lies in [0, 1], not {fraction}.")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        if connection.vendor != "postgresql":
            raise NotSupportedError("percentile_cont is PostgreSQL's; use reports.sql.percentiles.")
        return super().as_sql(compiler, connection, *args, **extra)


def jit_off() -> None:
    """Switch PostgreSQL's JIT compiler off for the rest of the transaction.

    The rollup's statements carry one small subquery per row; the planner
    prices them high and would spend a second or more compiling each one,
    several times what running it takes. Call inside a transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def native_percentiles() -> bool:
    """Return whether the database has ``percentile_cont``."""
    return connection.vendor == "postgresql"


def percentiles(
    rows: QuerySet[Any],
    *,
    values: Sequence[str],
    fractions: Sequence[float],
    group: str | None = None,
) -> dict[Any, dict[str, list[float | None]]]:
    """Return each group's continuous percentiles of each of ``values``, computed in SQL.

    ``rows`` is any queryset; empty values are left out, as percentile_cont
    does. The result maps a group (None without ``group``) to each value's
    percentiles in ``fractions`` order; groups with no values are missing.
    PostgreSQL runs percentile_cont, in one statement; elsewhere each value
    is ranked with window functions and the two neighbours of each fraction
    interpolated, one statement per value.
    """
    group_expr: Any = F(group) if group else Value(0)
    result: dict[Any, dict[str, list[float | None]]] = {}
    if native_percentiles():
        grouped = rows.order_by().annotate(report_group=group_expr).values("report_group")
        aggregates = {
            f"p_{name}_{index}": PercentileCont(name, fraction=fraction)
            for name in values
            for index, fraction in enumerate(fractions)
        }
        for row in grouped.annotate(**aggregates):
            key = row["report_group"] if group else None
            result[key] = {
                name: [row[f"p_{name}_{index}"] for index in range(len(fractions))]
                for name in values
            }
        return result
    for name in values:
        for key, found in _ranked_percentiles(rows, group_expr, name, fractions).items():
            result.setdefault(None if group is None else key, {})[name] = found
    return result


def _ranked_percentiles(
    rows: QuerySet[Any], group_expr: Expression, value: str, fractions: Sequence[float]
) -> dict[Any, list[float | None]]:
    """Return percentile_cont of ``value`` per group, by ranks, in portable SQL."""
    inner = (
        rows.order_by()
        .filter(**{f"{value}__isnull": False})
        .annotate(report_group=group_expr, report_value=F(value))
        .values("report_group", "report_value")
    )
    inner_sql, params = inner.query.sql_with_params()
    columns = []
    for fraction in fractions:
        ratio = Fraction(str(fraction)).limit_denominator(10_000)
        # Integer arithmetic: rank k = 1 + (n - 1) * fraction, split into whole and part.
        step = f"((n - 1) * {ratio.numerator})"
        low = f"(1 + {step} / {ratio.denominator})"
        high = f"(CASE WHEN {low} < n THEN {low} + 1 ELSE n END)"
        # "%%": the statement has parameters, so a literal percent sign is doubled.
        part = f"(({step} %% {ratio.denominator}) * 1.0 / {ratio.denominator})"
        low_value = f"MAX(CASE WHEN rn = {low} THEN v END)"
        high_value = f"MAX(CASE WHEN rn = {high} THEN v END)"
        columns.append(f"{low_value} + MAX({part}) * ({high_value} - {low_value})")
    # Only literals made here go into the text; the inner query keeps its parameters.
    ranked = (
        "SELECT src.report_group AS g, src.report_value AS v, "  # noqa: S608  # nosec B608  # literals made here; the inner query keeps its parameters
        "ROW_NUMBER() OVER (PARTITION BY src.report_group ORDER BY src.report_value) AS rn, "
        "COUNT(*) OVER (PARTITION BY src.report_group) AS n "
        f"FROM ({inner_sql}) src"
    )
    sql = f"SELECT g, {', '.join(columns)} FROM ({ranked}) ranked GROUP BY g"  # noqa: S608  # nosec B608  # literals made here; the inner query keeps its parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[0]: [None if cell is None else float(cell) for cell in row[1:]]
            for row in cursor.fetchall()
        }


def upsert_from_select(
    *, table: str, key: Sequence[str], columns: dict[str, str], select: QuerySet[Any]
) -> int:
    """Insert the rows ``select`` yields into ``table``, updating those whose ``key`` exists.

    ``columns`` maps each column of ``table`` to the name ``select`` (a
    ``values()`` queryset) gives it. The statement is ``INSERT ... SELECT
    ... ON CONFLICT DO UPDATE``, run wholly in the database. Returns the
    number of rows written.
    """
    inner_sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    picked = ", ".join(f"src.{quote(alias)}" for alias in columns.values())
    updates = ", ".join(
        f"{quote(column)} = excluded.{quote(column)}" for column in columns if column not in key
    )
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of a join.
    sql = (
        f"INSERT INTO {quote(table)} ({names}) "  # noqa: S608  # nosec B608  # names quoted by the backend; values stay parameters
        f"SELECT {picked} FROM ({inner_sql}) src WHERE true "
        f"ON CONFLICT ({', '.join(quote(column) for column in key)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
