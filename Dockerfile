# mamandyq: the Telegram bot, as a non-root user (uid 10001, group 0).
#
#   docker build -t mamandyq .
#   docker run -d --restart unless-stopped -e TELEGRAM_BOT_TOKEN=... -v mamandyq-state:/state mamandyq
#
# The build stage installs the dependencies into a virtual environment in a layer of their
# own (a code change does not reinstall them), then the package; the final stage copies
# only that environment. The data database is built from the shipped decree at build time.
# scripts/check-container builds this image and checks it with Docker or Podman.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
WORKDIR /src
# Dependencies only: this layer changes when pyproject.toml's dependencies or the lock do.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > dependencies.txt \
    && /venv/bin/pip install -c requirements.lock -r dependencies.txt
# The code.
COPY README.md ./
COPY store ./store
COPY bot ./bot
COPY locales ./locales
RUN /venv/bin/pip install --no-deps . \
    && MAMANDYQ_DB=/data/mamandyq.db /venv/bin/mamandyq ingest \
        "$(/venv/bin/python -c 'from store.ingest import shipped_source; print(shipped_source())')" \
    && /venv/bin/pip uninstall -q -y pip setuptools

FROM ${PYTHON_IMAGE}
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    MAMANDYQ_DB=/data/mamandyq.db MAMANDYQ_STATE_DB=/state/state.db PORT=8443
COPY --from=build /venv /venv
COPY --from=build /data /data
# /state belongs to group 0 and is group-writable (setgid, so new files stay in group 0):
# the image's user, or any --user UID:0 (as OpenShift runs images), can write it.
RUN mkdir -p /state && chown 10001:0 /state && chmod 2775 /state
USER 10001:0
VOLUME ["/state"]
# Webhook mode (mamandyq run --webhook) listens on $PORT.
EXPOSE 8443
# `mamandyq health`: exit 0 when the bot polled (or got a webhook delivery) within
# --max-age seconds, 1 otherwise.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["mamandyq", "health", "--max-age", "120"]
CMD ["mamandyq", "run"]
