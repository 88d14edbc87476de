"""Logging for the running bot: to stderr, with the bot token redacted from every record."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    """Replace the bot token in every log record, whatever library logged it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1]:
            # The whole traceback: the token may be in a chained exception's message.
            trace = logging.Formatter().formatException(record.exc_info)
            if self.token in trace:
                message = f"{message}\n{trace}"
                record.exc_info = None
                record.exc_text = None
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        return True


def configure_logging(token: str) -> None:
    """Log to stderr; httpx's request lines (which carry the token in the URL) stay quiet."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
