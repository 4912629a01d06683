"""Right but different. One concurrent.futures.Future per name in flight: the
thread that creates it fetches and sets its result or exception; the others
block on future.result(), which returns the value or raises the same
ClientError."""
import threading
import time
from concurrent.futures import Future


class SecretCache:
    def __init__(self, client, ttl):
        self._client = client
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache = {}      # name -> (value, expires_at)
        self._inflight = {}   # name -> Future

    def get(self, name):
        with self._lock:
            hit = self._cache.get(name)
            if hit is not None and time.monotonic() < hit[1]:
                return hit[0]
            fut = self._inflight.get(name)
            owner = fut is None
            if owner:
                fut = self._inflight[name] = Future()
        if owner:
            try:
                value = self._client.get_secret_value(SecretId=name)["SecretString"]
            except Exception as e:
                with self._lock:
                    self._cache.pop(name, None)
                    del self._inflight[name]
                fut.set_exception(e)
            else:
                with self._lock:
                    self._cache[name] = (value, time.monotonic() + self._ttl)
                    del self._inflight[name]
                fut.set_result(value)
        return fut.result()
