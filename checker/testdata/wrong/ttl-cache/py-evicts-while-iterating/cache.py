"""Wrong: evicts expired entries by deleting from the dict while iterating
it, outside the lock, which raises RuntimeError (dictionary changed size
during iteration) as soon as one entry has expired."""
import threading
import time


class SecretCache:
    def __init__(self, client, ttl):
        self.client, self.ttl = client, ttl
        self.lock = threading.Lock()
        self.entries = {}

    def get(self, name):
        now = time.monotonic()
        for k, (_, fetched) in self.entries.items():
            if now - fetched >= self.ttl:
                del self.entries[k]
        with self.lock:
            hit = self.entries.get(name)
            if hit:
                return hit[0]
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
            self.entries[name] = (value, time.monotonic())
            return value
