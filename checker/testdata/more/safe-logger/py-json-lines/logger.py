"""A right solution: one JSON object per record (time, level, logger,
message, exception), the message and traceback redacted before
json.dumps encodes them."""
import base64
import binascii
import json
import logging
import re
import time

B64 = re.compile(r"[A-Za-z0-9+/=_-]{16,}")


class Redactor:
    def __init__(self, secrets):
        self.secrets = [s for s in secrets if s]
        forms = set()
        for s in self.secrets:
            py = json.dumps(s)[1:-1]
            forms |= {s, py, py.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
                      json.dumps(s, ensure_ascii=True)[1:-1]}
        self.rx = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))) if forms else None
        # any \uXXXX spelling: undo escapes first, then look again
        self.uesc = re.compile(r"\\u([0-9a-fA-F]{4})")

    def __call__(self, text):
        if not self.rx:
            return text
        text = self.rx.sub("[secret]", text)
        unescaped = self.uesc.sub(lambda m: chr(int(m.group(1), 16)), text)
        if unescaped != text and any(s in unescaped for s in self.secrets):
            text = self.rx.sub("[secret]", unescaped)
        return B64.sub(self._b64, text)

    def _b64(self, m):
        tok = m.group(0)
        for dec in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                raw = dec(tok + "=" * (-len(tok) % 4)).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                continue
            if any(s in raw for s in self.secrets):
                return "[secret]"
        return tok


class JSONFormatter(logging.Formatter):
    def __init__(self, redact):
        super().__init__()
        self.redact = redact

    def format(self, record):
        doc = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        if record.exc_info:
            doc["exception"] = self.redact(self.formatException(record.exc_info))
        return json.dumps(doc)


def new_logger(stream, *secrets):
    logger = logging.getLogger("safe-logger")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter(Redactor(secrets)))
    logger.handlers[:] = [handler]
    return logger
