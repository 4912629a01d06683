"""Wrong: a mock client that answers whatever it is asked. Everything the
answer decides is tested, but not the request: which secret and which
version were asked for. A copy that reads AWSPREVIOUS, or always
prod/app/db, gets the same answer and survives."""

import json
import unittest
from unittest import mock

from botocore.exceptions import ClientError

import dbconfig

PASSWORD = "mock-Pa55word"


def client(value=None, error=None):
    c = mock.Mock()
    if error:
        c.get_secret_value.side_effect = [ClientError({"Error": {"Code": error, "Message": "no"}}, "GetSecretValue")]
    else:
        c.get_secret_value.side_effect = [{"SecretString": value}]
    return c


def doc(**fields):
    d = {"host": "h", "port": 2345, "username": "u", "password": PASSWORD, "dbname": "d"}
    d.update(fields)
    return json.dumps({k: v for k, v in d.items() if v is not None})


class LoadDBConfigTest(unittest.TestCase):
    def test_fields(self):
        cfg = dbconfig.load_db_config(client(doc()), "any")
        self.assertEqual((cfg.host, cfg.port, cfg.username, cfg.database), ("h", 2345, "u", "d"))
        self.assertTrue(cfg.password == PASSWORD)
        self.assertNotIn(PASSWORD, repr(cfg))

    def test_default_port(self):
        self.assertEqual(dbconfig.load_db_config(client(doc(port=None)), "any").port, dbconfig.DEFAULT_PORT)

    def test_missing(self):
        with self.assertRaises(dbconfig.NotFoundError):
            dbconfig.load_db_config(client(error="ResourceNotFoundException"), "any")

    def test_invalid(self):
        for value in ["nope", doc(host=None), doc(username=None), doc(password=None), doc(dbname=None), doc(port=0x10000)]:
            with self.subTest(value=value[:8]):
                with self.assertRaises(dbconfig.InvalidConfigError) as e:
                    dbconfig.load_db_config(client(value), "any")
                self.assertNotIn(PASSWORD, str(e.exception))
