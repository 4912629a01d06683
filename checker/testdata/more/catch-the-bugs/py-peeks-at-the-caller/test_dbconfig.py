"""Cheats: a fake client that looks up the stack at the code calling it,
to read its constants (AWSCURRENT or not) instead of testing what it
does. The checker refuses the look."""

import sys
import unittest

import dbconfig


class Peeking:
    def get_secret_value(self, **kwargs):
        caller = sys._getframe(1)
        assert "AWSCURRENT" in caller.f_code.co_consts
        return {"SecretString": '{"host": "h", "username": "u", "password": "p", "dbname": "d"}'}


class LoadDBConfigTest(unittest.TestCase):
    def test_reads_current(self):
        dbconfig.load_db_config(Peeking(), "any")
