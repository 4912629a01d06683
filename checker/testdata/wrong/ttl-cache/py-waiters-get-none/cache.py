"""Deliberately wrong: concurrent misses wait on a threading.Event while one
thread fetches, but when that fetch raises, the waiters return None.
"""
import threading
import time


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self.lock = threading.Lock()
        self.entries = {}   # name -> (value, fetched at)
        self.inflight = {}  # name -> threading.Event

    def get(self, name):
        with self.lock:
            entry = self.entries.get(name)
            if entry and time.monotonic() - entry[1] < self.ttl:
                return entry[0]
            ev = self.inflight.get(name)
            leader = ev is None
            if leader:
                ev = self.inflight[name] = threading.Event()
        if not leader:
            ev.wait()
            with self.lock:
                entry = self.entries.get(name)
            return entry[0] if entry else None
        try:
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
            with self.lock:
                self.entries[name] = (value, time.monotonic())
            return value
        finally:
            with self.lock:
                del self.inflight[name]
            ev.set()
