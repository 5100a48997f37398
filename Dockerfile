# One image for every process of the desk in full mode: web (gunicorn), the
# Celery worker, Celery beat and the one-off migrate job. docker-compose.yml
# picks the process with `command:`; the default command is the web server.

# Browser libraries the pages load come from the npm registry, pinned by
# package-lock.json, in a stage of their own: the final image has no Node.js.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# A non-root user, and the one writable directory: beat's schedule, uploaded
# media and any mail written to files live here (mount a volume on it).
RUN groupadd --system --gid 10001 desk \
    && useradd --system --uid 10001 --gid desk --home-dir /var/lib/support-desk \
        --no-create-home --shell /usr/sbin/nologin desk \
    && mkdir -p /var/lib/support-desk/media \
    && chown -R desk:desk /var/lib/support-desk

WORKDIR /app

# Runtime dependencies only, from the lock file, before the source so that a
# code change does not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# Where `make install` puts them too: static/vendor/ (collected below).
COPY --from=assets /assets/node_modules/chart.js/dist/chart.umd.min.js /assets/node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chart.js/

# Static files are collected into the image where production serves them from
# (whitenoise reads STATIC_ROOT, set by DJANGO_STATIC_ROOT at build and run time).
# The build runs on the default settings with throwaway values, and nothing of
# its var/ is kept.
ENV DJANGO_STATIC_ROOT=/app/staticfiles
RUN export DJANGO_SETTINGS_MODULE=support_desk.settings \
        DJANGO_SECRET_KEY=build-only \
        DESK_VAR_DIR=/tmp/build-var \
    && python manage.py compilemessages \
    && python manage.py collectstatic --no-input \
    && rm -rf /tmp/build-var

ENV DJANGO_SETTINGS_MODULE=support_desk.settings_production \
    DESK_VAR_DIR=/var/lib/support-desk \
    DJANGO_MEDIA_ROOT=/var/lib/support-desk/media

USER desk

EXPOSE 8000

CMD ["gunicorn", "support_desk.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
