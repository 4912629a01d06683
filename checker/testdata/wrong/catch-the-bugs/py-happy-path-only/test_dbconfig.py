"""Wrong: only the happy path. It checks the fields of one good secret
with two versions, so it catches the wrong version, a hard-coded name and
a lost port, and nothing about errors or leaks."""

import json
import unittest
import uuid

import boto3

from dbconfig import load_db_config


class LoadDBConfigTest(unittest.TestCase):
    def test_loads(self):
        client = boto3.client("secretsmanager")
        name = "test/happy/" + uuid.uuid4().hex[:8]
        client.create_secret(Name=name, SecretString=json.dumps({"host": "old", "port": 1, "username": "o", "password": "o", "dbname": "o"}))
        self.addCleanup(client.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True)
        client.put_secret_value(SecretId=name, SecretString=json.dumps({"host": "db", "port": 6543, "username": "app", "password": "pw-123456", "dbname": "orders"}))
        cfg = load_db_config(client, name)
        self.assertEqual((cfg.host, cfg.port, cfg.username, cfg.database), ("db", 6543, "app", "orders"))
