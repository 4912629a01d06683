"""Tests of dbconfig.load_db_config: yours to write.

Store secrets in a local Secrets Manager, call load_db_config and check
what it returns. Read README.md ("In Python"); the checker grades this file
by the bugs it catches in broken copies of dbconfig.py. As it stands, it
tests nothing and catches none.
"""

import unittest


class LoadDBConfigTest(unittest.TestCase):
    def test_load_db_config(self):
        """Start here."""


if __name__ == "__main__":
    unittest.main()
