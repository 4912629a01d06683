"""Right but different. A cache whose single flight is a threading.Condition:
the first thread to miss a name marks it in flight and fetches outside the
lock; the others wait on the condition until the flight lands, then take its
value or raise its exception."""
import threading
import time


class _Flight:
    __slots__ = ("done", "value", "error")

    def __init__(self):
        self.done, self.value, self.error = False, None, None


class SecretCache:
    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self._cond = threading.Condition()
        self._entries = {}   # name -> (value, fetched_at)
        self._flights = {}   # name -> _Flight

    def get(self, name):
        with self._cond:
            entry = self._entries.get(name)
            if entry is not None and time.monotonic() - entry[1] < self.ttl:
                return entry[0]
            flight = self._flights.get(name)
            if flight is not None:
                while not flight.done:
                    self._cond.wait()
                if flight.error is not None:
                    raise flight.error
                return flight.value
            flight = self._flights[name] = _Flight()
        try:
            value = self.client.get_secret_value(SecretId=name)["SecretString"]
        except Exception as e:
            with self._cond:
                flight.error, flight.done = e, True
                self._entries.pop(name, None)
                del self._flights[name]
                self._cond.notify_all()
            raise
        with self._cond:
            self._entries[name] = (value, time.monotonic())
            flight.value, flight.done = value, True
            del self._flights[name]
            self._cond.notify_all()
        return value
