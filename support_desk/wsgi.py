"""WSGI entry point: gunicorn serves pages and the API through it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_desk.settings")

application = get_wsgi_application()
