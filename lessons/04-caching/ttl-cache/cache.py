"""ttl-cache, in Python: the cache main.py reads through. Read README.md
("In Python"); check your work with `secretlings check ttl-cache --lang python`.
"""


class SecretCache:
    """Keeps each secret's AWSCURRENT value for ttl seconds."""

    def __init__(self, client, ttl):
        # TODO: keep the entries (a dict) and a threading.Lock too.
        self.client = client
        self.ttl = ttl

    def get(self, name):
        """Returns the AWSCURRENT value of name, calling get_secret_value at
        most once per TTL (and once for concurrent misses)."""
        # TODO: return the cached value while it is fresh; otherwise fetch it
        # with self.client.get_secret_value, store it with the time, and
        # return it.
        raise NotImplementedError("not implemented yet: see README.md")
