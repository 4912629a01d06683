"""Deliberately wrong: it redacts the %-arguments one by one and leaves the
message template alone, so a message that holds a secret itself (an
f-string, no arguments) goes out as it is.
"""
import base64
import binascii
import json
import logging
import re
from urllib.parse import quote

MASK = "********"
# Long enough that ordinary words are not decoded; both alphabets.
BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{12,}={0,2}")


def forms(secret):
    """The ways a secret is spelled in text, longest first when sorted."""
    escaped = json.dumps(secret)[1:-1]
    go_escaped = escaped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return {secret, escaped, go_escaped, quote(secret, safe=""), base64.b64encode(secret.encode()).decode()}


class RedactingFilter(logging.Filter):
    def __init__(self, secrets):
        super().__init__()
        self.secrets = [s for s in secrets if s]
        self.forms = sorted({f for s in self.secrets for f in forms(s)}, key=len, reverse=True)

    def redact(self, text):
        for f in self.forms:
            text = text.replace(f, MASK)
        return BASE64_TOKEN.sub(self._encoded, text)

    def _encoded(self, m):
        token = m.group(0)
        padded = token + "=" * (-len(token) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                text = decode(padded).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                continue
            if any(s in text for s in self.secrets):
                return MASK
        return token

    def filter(self, record):
        # The message is formatted here, once, so its arguments (a dict's
        # %r, an exception's str) are redacted too.
        # Secrets arrive as arguments: redact each one as the message will show it.
        if isinstance(record.args, tuple):
            record.args = tuple(self.redact(a if isinstance(a, str) else repr(a)) for a in record.args)
            record.msg = record.msg.replace("%r", "%s")
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def new_logger(stream, *secrets):
    logger = logging.getLogger("safe-logger")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    # On the handler, not the logger: a handler's filters also see the
    # records of child loggers that propagate to it.
    handler.addFilter(RedactingFilter(secrets))
    logger.handlers[:] = [handler]
    return logger
