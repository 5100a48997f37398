"""What the reports read: per-ticket facts, daily rollups, and business calendars as tables.

Every table here is derived from the desk's own records by
``reports.services`` and can be rebuilt from them at any time
(``manage.py reports_rebuild``). Key columns hold plain ids rather than
foreign keys: a rollup row outlives a renamed queue or a removed agent,
and ``NONE`` (0) stands for "no queue" or "no agent" so that the unique
keys hold on every database.
"""

from __future__ import annotations

from django.db import models

# "No queue", "no agent", "open around the clock" in the key columns below.
NONE = 0


class BusinessPeriod(models.Model):
    """One open period of a business-hours calendar, in minutes since the Unix epoch (UTC).

    ``open_before`` is the calendar's running total of open minutes up to the
    period's start, so the open minutes between two moments are the
    difference of their totals: that is how the database counts SLA time in
    business hours (``reports.sql.business_clock``). ``hours_id`` NONE is the
    calendar of queues without business hours: one period that never closes.
    """

    hours_id = models.BigIntegerField()
    starts_minute = models.BigIntegerField()
    ends_minute = models.BigIntegerField()
    open_before = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("hours_id", "starts_minute"), name="reports_period_key"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_minute__gt=models.F("starts_minute")),
                name="reports_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours_id}: {self.starts_minute}–{self.ends_minute}"


class TicketFact(models.Model):
    """One ticket as the reports see it, with its SLA times counted in business minutes.

    ``solved_at`` is the last time the ticket was solved (kept when it
    closed afterwards); ``done_at`` when it stopped being open (solved or
    closed), empty while open. ``clock_stopped_at`` is when the SLA clock
    stopped: the ticket went pending (paused) or was done; empty while it
    runs. Resolution minutes leave out the time spent waiting on the buyer.
    """

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    topic_id = models.BigIntegerField()
    queue_id = models.BigIntegerField()
    agent_id = models.BigIntegerField()
    # The calendar its SLA counts in: its queue's business hours, or NONE.
    hours_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10)
    opened_at = models.DateTimeField()
    opened_on = models.DateField()
    first_responded_at = models.DateTimeField(null=True)
    first_response_due_at = models.DateTimeField(null=True)
    first_response_minutes = models.FloatField(null=True)
    solved_at = models.DateTimeField(null=True)
    solved_on = models.DateField(null=True)
    resolution_due_at = models.DateTimeField(null=True)
    resolution_minutes = models.FloatField(null=True)
    done_at = models.DateTimeField(null=True)
    clock_stopped_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The SLA figures read the tickets opened in a range, per queue.
            models.Index(
                fields=("opened_on",),
                include=("queue_id", "first_response_minutes", "resolution_minutes"),
                name="reports_fact_opened",
            ),
            models.Index(fields=("solved_on",), name="reports_fact_solved"),
            # Backlog: what was still open at the end of a day.
            models.Index(fields=("done_at", "opened_at"), name="reports_fact_done"),
        ]

    def __str__(self) -> str:
        return f"facts of ticket {self.ticket_id}"


class DailyTicketStats(models.Model):
    """Tickets opened and solved, and ratings given, on one day, per topic, queue, agent, language.

    The agent is the ticket's agent; for ratings, the agent who was rated.
    """

    day = models.DateField()
    topic_id = models.BigIntegerField()
    queue_id = models.BigIntegerField()
    agent_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    opened = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("day", "topic_id", "queue_id", "agent_id", "language"),
                name="reports_ticket_day_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.opened} opened, {self.solved} solved"


class DailyBacklog(models.Model):
    """The tickets still open at the end of one day, and the oldest of them, per topic, queue, language."""

    day = models.DateField()
    topic_id = models.BigIntegerField()
    queue_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    open_tickets = models.PositiveIntegerField()
    oldest_opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("day", "topic_id", "queue_id", "language"), name="reports_backlog_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.open_tickets} open"


class DailyFunnelStats(models.Model):
    """The deflection funnel of one answer on one day and language.

    Views, contacts and tickets are funnel events of that day; helpful and
    not helpful count the visitors who first answered "Did this solve your
    problem?" that day, with their latest answer.
    """

    day = models.DateField()
    topic_id = models.BigIntegerField()
    entry_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    views = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    not_helpful = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)
    tickets = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("day", "topic_id", "entry_id", "language"), name="reports_funnel_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: entry {self.entry_id}"


class DailyDisputeStats(models.Model):
    """Disputes on one day per currency: opened, escalated, how they ended, what was refunded."""

    day = models.DateField()
    currency = models.CharField(max_length=3)
    opened = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    full_refunds = models.PositiveIntegerField(default=0)
    partial_refunds = models.PositiveIntegerField(default=0)
    no_refunds = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    refunded = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("day", "currency"), name="reports_dispute_day_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.currency}: {self.opened} opened"


class CalendarSpan(models.Model):
    """The local days of one calendar whose open periods are stored (first to last, inclusive)."""

    hours_id = models.BigIntegerField(primary_key=True)
    first_day = models.DateField()
    last_day = models.DateField()

    def __str__(self) -> str:
        return f"{self.hours_id}: {self.first_day} – {self.last_day}"


class RollupState(models.Model):
    """How far the rollup has read the desk's changes; one row, locked while a rollup runs."""

    name = models.CharField(max_length=40, primary_key=True)
    changes_until = models.DateTimeField(null=True)
    ran_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name}: until {self.changes_until}"
