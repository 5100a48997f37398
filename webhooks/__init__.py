"""Signed webhooks: integrators' subscriptions, the delivery outbox, and its sender."""
