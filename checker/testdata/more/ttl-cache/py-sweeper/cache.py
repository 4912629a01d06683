"""Deliberately wrong: get returns any entry still in the dict, and a thread
sweeps out the expired ones once per TTL, so an entry lives for up to twice
the TTL.
"""
import threading
import time
import weakref


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self.lock = threading.Lock()
        self.entries = {}  # name -> (value, fetched at)
        self.fetching = {}
        ref = weakref.ref(self)
        threading.Thread(target=SecretCache._sweep, args=(ref, ttl), daemon=True).start()

    @staticmethod
    def _sweep(ref, ttl):
        while True:
            time.sleep(ttl)
            self = ref()
            if self is None:
                return
            now = time.monotonic()
            with self.lock:
                for name in [n for n, e in self.entries.items() if now - e[1] >= ttl]:
                    del self.entries[name]
            del self

    def get(self, name):
        with self.lock:
            entry = self.entries.get(name)
            if entry:
                return entry[0]
            fetch = self.fetching.setdefault(name, threading.Lock())
        with fetch:
            with self.lock:
                entry = self.entries.get(name)
            if entry:
                return entry[0]
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
            with self.lock:
                self.entries[name] = (value, time.monotonic())
            return value
