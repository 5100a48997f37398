"""Support Desk: a customer support desk for online marketplaces."""

from support_desk.celery import app as celery_app

__all__ = ["celery_app"]
