"""Deliberately wrong: the first fetch of a name happens once, under a lock of
its own, but an expired entry is refreshed by every thread that finds it
expired, all at once (a thundering herd at each expiry).
"""
import threading
import time


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self.lock = threading.Lock()
        self.entries = {}  # name -> (value, fetched at)
        self.first = {}    # name -> lock for its first fetch

    def _fetch(self, name):
        value = self.client.get_secret_value(SecretId=name)["SecretString"]
        with self.lock:
            self.entries[name] = (value, time.monotonic())
        return value

    def get(self, name):
        with self.lock:
            entry = self.entries.get(name)
            first = self.first.setdefault(name, threading.Lock())
        if entry is None:
            with first:
                with self.lock:
                    entry = self.entries.get(name)
                if entry is None:
                    return self._fetch(name)
        if time.monotonic() - entry[1] >= self.ttl:
            return self._fetch(name)  # expired: refresh
        return entry[0]
