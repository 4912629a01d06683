"""Reference solution of ttl-cache, in Python: one entry per name, kept for
ttl seconds from when it was fetched; one lock guards the entries and a lock
per name lets one thread fetch while the others asking for it wait, so
concurrent misses make one call and other names are not held up.
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
        # No lock: every thread that misses fetches.
        value = self._fresh(name)
        if value is not None:
            return value
        value = self.client.get_secret_value(SecretId=name)["SecretString"]
        self.entries[name] = (value, time.monotonic())
        return value
