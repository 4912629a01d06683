"""Right but different. Per-name locks from a defaultdict (made under the
cache's lock), entries as a small dataclass holding the value and when it
was fetched."""
import threading
import time
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    value: str
    fetched_at: float

    def fresh(self, ttl):
        return time.monotonic() - self.fetched_at < ttl


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = float(ttl)
        self._guard = threading.Lock()
        self._locks = defaultdict(threading.Lock)
        self._entries: dict[str, Entry] = {}

    def get(self, name: str) -> str:
        with self._guard:
            lock = self._locks[name]
        with lock:
            with self._guard:
                entry = self._entries.get(name)
            if entry is not None and entry.fresh(self.ttl):
                return entry.value
            with self._guard:
                self._entries.pop(name, None)
            secret = self.client.get_secret_value(SecretId=name)
            entry = Entry(secret["SecretString"], time.monotonic())
            with self._guard:
                self._entries[name] = entry
            return entry.value
