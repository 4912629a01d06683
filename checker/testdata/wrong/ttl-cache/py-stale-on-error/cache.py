"""Deliberately wrong: when the refresh of an expired entry fails, the old value
is returned instead of the error, for as long as the fetches fail (a deleted
secret is served for ever).
"""
import threading
import time


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self.lock = threading.Lock()  # guards entries and fetching
        self.entries = {}  # name -> (value, fetched at)
        self.fetching = {}  # name -> the lock its fetch holds

    def _fresh(self, name):
        entry = self.entries.get(name)
        if entry and time.monotonic() - entry[1] < self.ttl:
            return entry[0]
        return None

    def get(self, name):
        with self.lock:
            value = self._fresh(name)
            if value is not None:
                return value
            fetch = self.fetching.setdefault(name, threading.Lock())
        with fetch:
            # Another thread may have fetched it while this one waited.
            with self.lock:
                value = self._fresh(name)
            if value is not None:
                return value
            # A failed first read raises and is not kept; a failed refresh does not raise.
            try:
                value = self.client.get_secret_value(SecretId=name)["SecretString"]
            except Exception:
                with self.lock:
                    old = self.entries.get(name)
                if old is None:
                    raise
                return old[0]  # serve the last good value while AWS is unhappy
            with self.lock:
                self.entries[name] = (value, time.monotonic())
            return value
