"""A right solution: one lock held for the whole get, fetch included. Simple,
and correct: concurrent misses wait for the one fetch (other names wait too,
which the exercise allows)."""
import threading
import time


class SecretCache:
    def __init__(self, client, ttl):
        self.client, self.ttl = client, ttl
        self.lock = threading.Lock()
        self.entries = {}

    def get(self, name):
        with self.lock:
            hit = self.entries.get(name)
            if hit and time.monotonic() < hit[1]:
                return hit[0]
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
            self.entries[name] = (value, time.monotonic() + self.ttl)
            return value
