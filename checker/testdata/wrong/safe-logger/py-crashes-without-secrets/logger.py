"""Deliberately wrong: it redacts well, but sizes its mask after the longest
secret, and main.py's first call, made before the secrets are loaded, gives
it none: max() of nothing raises, and the program stops before it logs a
record.
"""
import logging


class Redact(logging.Filter):
    def __init__(self, secrets):
        super().__init__()
        self.secrets = sorted(secrets, key=len, reverse=True)
        self.mask = "*" * max(len(s) for s in secrets)

    def filter(self, record):
        msg = record.getMessage()
        for s in self.secrets:
            msg = msg.replace(s, self.mask)
        record.msg, record.args = msg, None
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
