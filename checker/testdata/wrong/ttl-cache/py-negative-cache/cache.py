"""Deliberately wrong: a failed read is kept, and raised again, for the whole
TTL, so a secret created meanwhile is not seen.
"""
import threading
import time


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self.lock = threading.Lock()
        self.entries = {}  # name -> (value, error, fetched at)
        self.fetching = {}

    def _fresh(self, name):
        entry = self.entries.get(name)
        if entry and time.monotonic() - entry[2] < self.ttl:
            return entry
        return None

    def get(self, name):
        with self.lock:
            entry = self._fresh(name)
            fetch = self.fetching.setdefault(name, threading.Lock())
        if entry is None:
            with fetch:
                with self.lock:
                    entry = self._fresh(name)
                if entry is None:
                    try:
                        entry = (self.client.get_secret_value(SecretId=name)["SecretString"], None, time.monotonic())
                    except Exception as e:
                        entry = (None, e, time.monotonic())
                    with self.lock:
                        self.entries[name] = entry
        if entry[1] is not None:
            raise entry[1]
        return entry[0]
