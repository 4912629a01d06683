"""Wrong: errors judged by their words, not their class. assertRaisesRegex
on Exception passes for any exception that says "not found", so a copy
that raises the base ConfigError survives; and it never looks at the port,
the password in an error or a printed Config."""

import json
import unittest
import uuid

import boto3

from dbconfig import load_db_config


class OneCall:
    def __init__(self, client):
        self.client, self.calls = client, 0

    def get_secret_value(self, **kwargs):
        self.calls += 1
        assert self.calls == 1, "retried"
        return self.client.get_secret_value(**kwargs)


class LoadDBConfigTest(unittest.TestCase):
    def setUp(self):
        self.client = boto3.client("secretsmanager")

    def store(self, value, *more):
        name = "test/text/" + uuid.uuid4().hex[:8]
        self.client.create_secret(Name=name, SecretString=value)
        self.addCleanup(self.client.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True)
        for v in more:
            self.client.put_secret_value(SecretId=name, SecretString=v)
        return name

    def test_current(self):
        good = {"host": "db", "port": 5432, "username": "app", "password": "pw-123456", "dbname": "orders"}
        name = self.store(json.dumps(dict(good, host="old")), json.dumps(good))
        cfg = load_db_config(OneCall(self.client), name)
        self.assertEqual((cfg.host, cfg.username, cfg.database), ("db", "app", "orders"))

    def test_missing(self):
        with self.assertRaisesRegex(Exception, "not found"):
            load_db_config(OneCall(self.client), "test/text/missing")

    def test_invalid(self):
        for value in ["not json", json.dumps({"host": "h", "username": "u", "dbname": "d"})]:
            with self.subTest(value=value):
                with self.assertRaisesRegex(Exception, "JSON|lacks"):
                    load_db_config(OneCall(self.client), self.store(value))
