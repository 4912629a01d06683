"""A right solution: a Filter on the handler that masks each secret as
itself, as any JSON escape of it, and as its base64 at each of the three
alignments (the core that does not depend on its neighbours, as CI
systems mask secrets), not by decoding tokens."""
import base64
import json
import logging
import re

MASK = "****"


def b64_forms(secret):
    raw = secret.encode()
    forms = []
    for pad in range(3):
        enc = base64.b64encode(b"\0" * pad + raw).decode().rstrip("=")
        # drop the characters that mix in the padding before and after
        start = (pad * 8 + 5) // 6
        end = ((pad + len(raw)) * 8) // 6
        core = enc[start:end]
        if len(core) >= 8:
            forms.append(core)
            forms.append(core.replace("+", "-").replace("/", "_"))
    return forms


def escapes(secret):
    parts = []
    for ch in secret:
        alts = [re.escape(ch), r"\\u" + "".join(f"[{d}{d.upper()}]" for d in f"{ord(ch):04x}")]
        if ch in '"\\/':
            alts.append(re.escape("\\" + ch))
        parts.append("(?:" + "|".join(alts) + ")")
    return "".join(parts)


class MaskFilter(logging.Filter):
    def __init__(self, secrets):
        super().__init__()
        alts = []
        for s in (s for s in secrets if s):
            alts.append(escapes(s))
            alts.extend(re.escape(f) for f in b64_forms(s))
        alts.sort(key=len, reverse=True)
        self.rx = re.compile("|".join(alts)) if alts else None

    def mask(self, text):
        return self.rx.sub(MASK, text) if self.rx else text

    def filter(self, record):
        record.msg = self.mask(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def new_logger(stream, *secrets):
    logger = logging.getLogger("safe-logger")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(MaskFilter(secrets))
    logger.handlers[:] = [handler]
    return logger
