"""Deliberately wrong: each entry lives for the TTL plus up to half of it more,
at random ("jitter", so that entries do not all expire together), which
serves values past their TTL.
"""
import random
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
            # A failed read raises and is not kept: the next get tries again.
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
            with self.lock:
                self.entries[name] = (value, time.monotonic() + self.ttl * random.uniform(0, 0.5))
            return value
