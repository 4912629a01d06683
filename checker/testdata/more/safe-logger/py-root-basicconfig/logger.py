"""A right solution, different: the root logger, set up by
logging.basicConfig(force=True), which replaces the handlers of an earlier
call, and a Formatter that redacts what the base class formats (the
traceback included), masking each secret in any JSON spelling and inside
base64 tokens. Other libraries' records (botocore's) reach the log too."""
import base64
import binascii
import logging
import re


def spelled(secret):
    parts = []
    for ch in secret:
        code = "".join(f"[{d}{d.upper()}]" for d in f"{ord(ch):04x}")
        alts = [re.escape(ch), r"\\u" + code]
        if ch in '"\\/':
            alts.append(re.escape("\\" + ch))
        parts.append("(?:" + "|".join(alts) + ")")
    return "".join(parts)


TOKEN = re.compile(r"[A-Za-z0-9+/=]{16,}")


class Redacting(logging.Formatter):
    def __init__(self, secrets):
        super().__init__("%(levelname)s:%(name)s %(message)s")
        self.secrets = [s for s in secrets if s]
        self.pattern = re.compile("|".join(spelled(s) for s in self.secrets)) if self.secrets else None

    def _decoded(self, m):
        try:
            text = base64.b64decode(m.group(0) + "=" * (-len(m.group(0)) % 4)).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return m.group(0)
        return "<hidden>" if any(s in text for s in self.secrets) else m.group(0)

    def format(self, record):
        text = super().format(record)
        if self.pattern is None:
            return text
        return TOKEN.sub(self._decoded, self.pattern.sub("<hidden>", text))


def new_logger(stream, *secrets):
    handler = logging.StreamHandler(stream)
    handler.setFormatter(Redacting(secrets))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    return logging.getLogger()
