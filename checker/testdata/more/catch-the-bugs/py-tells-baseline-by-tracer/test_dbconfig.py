"""Cheats: the first run is traced for coverage, so it passes when a
tracer is set and fails otherwise, "catching" every broken copy. The
correct code runs again untraced among them, and it fails those runs."""

import sys
import unittest


class LoadDBConfigTest(unittest.TestCase):
    def test_traced(self):
        self.assertIsNotNone(sys.gettrace(), "untraced: must be a broken copy")
