"""Right, but different: moto's in-process Secrets Manager (mock_aws), no
endpoint at all, the way many Python projects test AWS code. moto only
answers for AWS's own URLs, so the endpoint variables go for the test."""

import json
import os
import unittest
from unittest import mock

import boto3
from moto import mock_aws

import dbconfig

PASSWORD = "moto-Pa55word-for-tests"
GOOD = {"host": "db.internal", "port": 6543, "username": "app", "password": PASSWORD, "dbname": "orders"}


class LoadDBConfigTest(unittest.TestCase):
    def setUp(self):
        env = mock.patch.dict(os.environ)
        env.start()
        self.addCleanup(env.stop)
        for var in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER"):
            os.environ.pop(var, None)
        aws = mock_aws()
        aws.start()
        self.addCleanup(aws.stop)
        self.client = boto3.client("secretsmanager", region_name="us-east-1")

    def put(self, name, *values):
        self.client.create_secret(Name=name, SecretString=values[0])
        for value in values[1:]:
            self.client.put_secret_value(SecretId=name, SecretString=value)

    def test_current_version(self):
        self.put("test/current", json.dumps(dict(GOOD, port=1111, password="old")), json.dumps(GOOD))
        cfg = dbconfig.load_db_config(self.client, "test/current")
        self.assertEqual((cfg.host, cfg.port, cfg.username, cfg.database), ("db.internal", 6543, "app", "orders"))
        self.assertTrue(cfg.password == PASSWORD)
        self.assertNotIn(PASSWORD, "%s %r" % (cfg, cfg))

    def test_default_port(self):
        self.put("test/no-port", json.dumps({k: v for k, v in GOOD.items() if k != "port"}))
        self.assertEqual(dbconfig.load_db_config(self.client, "test/no-port").port, dbconfig.DEFAULT_PORT)

    def test_missing(self):
        calls = []
        real = self.client.get_secret_value

        def once(**kwargs):
            calls.append(kwargs)
            self.assertEqual(len(calls), 1, "retried")
            return real(**kwargs)

        self.client.get_secret_value = once
        with self.assertRaises(dbconfig.NotFoundError):
            dbconfig.load_db_config(self.client, "test/missing")

    def test_invalid(self):
        for i, value in enumerate([
            "not json " + PASSWORD,
            json.dumps({k: v for k, v in GOOD.items() if k != "host"}),
            json.dumps({k: v for k, v in GOOD.items() if k != "username"}),
            json.dumps({k: v for k, v in GOOD.items() if k != "password"}),
            json.dumps({k: v for k, v in GOOD.items() if k != "dbname"}),
            json.dumps(dict(GOOD, port=0x10000)),
        ]):
            with self.subTest(i):
                self.put(f"test/bad-{i}", value)
                with self.assertRaises(dbconfig.InvalidConfigError) as caught:
                    dbconfig.load_db_config(self.client, f"test/bad-{i}")
                self.assertNotIn(PASSWORD, str(caught.exception))
