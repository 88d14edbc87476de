# mamandyq: the Telegram bot, long polling, as a non-root user.
# The database is built from the shipped decree when the image is built.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md requirements.lock ./
COPY store ./store
COPY bot ./bot
COPY locales ./locales
RUN pip wheel --no-cache-dir --wheel-dir /wheels -c requirements.lock .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    MAMANDYQ_DB=/data/mamandyq.db MAMANDYQ_STATE_DB=/state/state.db
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*.whl && rm -rf /wheels \
    && useradd --system --uid 10001 --home-dir /nonexistent mamandyq \
    && mkdir -p /data /state && chown mamandyq /state
# Build the data database now, so a container starts answering at once.
RUN mamandyq ingest "$(python -c 'from store.db import shipped_source; print(shipped_source())')"
USER mamandyq
VOLUME ["/state"]
CMD ["mamandyq", "run"]
