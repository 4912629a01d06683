"""Right but different. A bounded cache: an OrderedDict kept in least-recently-used
order, at most maxsize names, with a lock per name held while fetching."""
import threading
import time
from collections import OrderedDict


class SecretCache:
    def __init__(self, client, ttl, maxsize=256):
        self.client = client
        self.ttl = ttl
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._entries = OrderedDict()  # name -> (value, fetched_at)
        self._name_locks = {}

    def _lookup(self, name):
        """The fresh value of name, or None; the caller holds _lock."""
        entry = self._entries.get(name)
        if entry is None:
            return None
        value, fetched_at = entry
        if time.monotonic() - fetched_at >= self.ttl:
            del self._entries[name]
            return None
        self._entries.move_to_end(name)
        return value

    def get(self, name):
        with self._lock:
            value = self._lookup(name)
            if value is not None:
                return value
            name_lock = self._name_locks.setdefault(name, threading.Lock())
        with name_lock:
            with self._lock:
                value = self._lookup(name)
            if value is not None:
                return value
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
            with self._lock:
                self._entries[name] = (value, time.monotonic())
                self._entries.move_to_end(name)
                while len(self._entries) > self.maxsize:
                    old, _ = self._entries.popitem(last=False)
                    self._name_locks.pop(old, None)
            return value
