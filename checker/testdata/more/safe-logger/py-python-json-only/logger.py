"""Deliberately wrong: a filter on the handler that masks each secret as it
is, as json.dumps spells it inside a JSON string, and inside base64 tokens.
The secret's JSON as stored was written by Go's encoder, which escapes
< > & as \\u003c \\u003e \\u0026 where json.dumps does not: that spelling
goes out.
"""
import base64
import binascii
import json
import logging
import re

MASK = "********"
B64 = re.compile(r"[A-Za-z0-9+/=]{8,}")


class Redact(logging.Filter):
    def __init__(self, secrets):
        super().__init__()
        self.secrets = [s for s in secrets if s]
        forms = set()
        for s in self.secrets:
            forms |= {s, json.dumps(s)[1:-1], base64.b64encode(s.encode()).decode()}
        self.forms = sorted(forms, key=len, reverse=True)

    def _b64(self, m):
        try:
            d = base64.b64decode(m.group(0), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return m.group(0)
        return MASK if any(s in d for s in self.secrets) else m.group(0)

    def redact(self, text):
        for f in self.forms:
            text = text.replace(f, MASK)
        return B64.sub(self._b64, text)

    def filter(self, record):
        record.msg, record.args = self.redact(record.getMessage()), None
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
    handler.addFilter(Redact(secrets))
    logger.handlers[:] = [handler]
    return logger
