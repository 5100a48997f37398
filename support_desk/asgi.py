"""ASGI entry point, kept for a future streaming endpoint; pages use WSGI."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_desk.settings")

application = get_asgi_application()
