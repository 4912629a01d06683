"""Deliberately wrong: it ignores the secrets it is given and redacts what
looks like a credential (password=, Basic authorization headers, api keys
sk_live_…, the password/api_key fields of JSON documents). A secret under
no name, such as the password inside a message, goes out as it is."""
import logging
import re

MASK = "********"
PATTERNS = [
    (re.compile(r"(password=)\S+"), r"\1" + MASK),
    (re.compile(r"(Basic )[A-Za-z0-9+/=]+"), r"\1" + MASK),
    (re.compile(r'("(?:password|api_key|secret|token)"\s*:\s*)"(?:[^"\\]|\\.)*"'), r'\1"' + MASK + '"'),
    (re.compile(r"sk_(?:live|test)_[A-Za-z0-9]+"), MASK),
]


class PatternFilter(logging.Filter):
    def filter(self, record):
        text = record.getMessage()
        for rx, repl in PATTERNS:
            text = rx.sub(repl, text)
        record.msg, record.args = text, None
        return True


def new_logger(stream, *secrets):
    logger = logging.getLogger("safe-logger")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(PatternFilter())
    logger.handlers[:] = [handler]
    return logger
