"""ttl-cache's provided driver, in Python: it reads secrets through the cache
you write in cache.py, the way a busy service would: two hot names read in
turn from several threads, a second cache with a much longer TTL, a secret
that changes and one that appears, and sixteen threads missing at once. Do
not edit this file: the checker runs the original. Read README.md next to it
("In Python").
"""
import hashlib
import os
import re
import sys
import threading
import time

import boto3

from cache import SecretCache


def duration(name):
    """A TTL from the environment, written as Go writes one (300ms, 3s)."""
    m = re.fullmatch(r"([0-9.]+)(ms|s|m)", os.environ.get(name, ""))
    if not m or float(m.group(1)) <= 0:
        sys.exit(f"{name} must be a duration such as 300ms")
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(2)]


def fingerprint(v):
    """Identifies a value without revealing it."""
    return hashlib.sha256(str(v).encode()).hexdigest()[:12]


class Tally:
    """Reads per name: how many, how many failed (and the first error), and
    the fingerprints of the values returned."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reads, self.errs, self.first, self.values = {}, {}, {}, {}
        self.elapsed = 0.0

    def add(self, name, value=None, err=None):
        with self.lock:
            self.values.setdefault(name, set())
            self.reads[name] = self.reads.get(name, 0) + 1
            if err is not None:
                self.first.setdefault(name, f"{type(err).__name__}: {err}")
                self.errs[name] = self.errs.get(name, 0) + 1
                return
            self.values[name].add(fingerprint(value))

    def report(self, phase):
        for n in sorted(self.values):
            vs = ",".join(sorted(self.values[n])) or "none"
            line = f"{phase} name={n} elapsed={self.elapsed:.3f}s reads={self.reads[n]} errors={self.errs.get(n, 0)} values={vs}"
            if n in self.first:
                line += ' error="' + self.first[n].replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
            print(line)


def read(cache, name, tally):
    try:
        tally.add(name, cache.get(name))
    except (NotImplementedError, RecursionError) as e:
        tally.add(name, err=e)
    except RuntimeError as e:
        # What threads sharing unguarded state raise (a dict changed size
        # during iteration): Python's nearest thing to a data race report.
        print(f"thread failure: {type(e).__name__}: {e}", file=sys.stderr)
        tally.add(name, err=e)
    except Exception as e:
        tally.add(name, err=e)


def read_for(cache, names, workers, seconds):
    """Reads names in turn, every 10 ms, from workers threads, for seconds."""
    tally, start = Tally(), time.monotonic()

    def work(w):
        i = w
        while time.monotonic() - start < seconds:
            read(cache, names[i % len(names)], tally)
            i += 1
            time.sleep(0.01)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.elapsed = time.monotonic() - start
    return tally


def get(cache, name):
    try:
        return fingerprint(cache.get(name))
    except Exception:
        return "error"


def main():
    short, long = duration("CACHE_TTL"), duration("CACHE_TTL_LONG")
    client = boto3.client("secretsmanager")
    c = SecretCache(client, short)

    hot = [os.environ["SECRET_HOT_A"], os.environ["SECRET_HOT_B"]]
    read_for(c, hot, 4, 1.0).report("hot")
    longs = [os.environ["SECRET_LONG_A"], os.environ["SECRET_LONG_B"]]
    read_for(SecretCache(client, long), longs, 1, long / 3).report("long")

    fresh, late = os.environ["SECRET_FRESH"], os.environ["SECRET_LATE"]
    print(f"fresh-before value={get(c, fresh)} late={get(c, late)}")
    if not sys.stdin.readline():
        sys.exit("waiting for the checker: stdin closed")
    print(f"fresh-cached value={get(c, fresh)}")
    time.sleep(short * 1.5 + 0.05)
    print(f"fresh-after value={get(c, fresh)} late={get(c, late)}")

    # A cold name: 16 threads ask at the same moment.
    cold, tally = os.environ["SECRET_COLD"], Tally()
    barrier = threading.Barrier(16)

    def ask():
        barrier.wait()
        read(c, cold, tally)

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.report("cold")
    print("done")


if __name__ == "__main__":
    main()
