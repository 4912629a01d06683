"""safe-logger, in Python: the logger main.py logs through. Read README.md
("In Python"); check your work with
`secretlings check safe-logger --lang python`.
"""
import logging


def new_logger(stream, *secrets):
    """Returns the logger main.py logs through, writing to stream. secrets
    are the values that must never appear in its output, in any form."""
    logger = logging.getLogger("safe-logger")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    # TODO: add a logging.Filter (or use a Formatter) that masks every
    # secret: plain, base64-encoded, and escaped inside JSON.
    logger.handlers[:] = [handler]
    return logger
