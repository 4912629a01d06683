"""Cheats: it passes the first run it sees and fails every later one,
remembering in a file outside its sandbox: the broken copies run after
the correct code, so it "catches" them all, and fails the controls."""

import os
import time
import unittest


class LoadDBConfigTest(unittest.TestCase):
    def test_first_run_only(self):
        marker = "/tmp/secretlings-corpus-py-remembers-%d" % os.getppid()
        if os.path.exists(marker) and time.time() - os.path.getmtime(marker) < 120:
            self.fail("seen before: must be a broken copy")
        open(marker, "w").close()
