"""Wrong: it creates a secret on the endpoint it was given and never
deletes it."""

import json
import unittest
import uuid

import boto3

import dbconfig


class LoadDBConfigTest(unittest.TestCase):
    def test_loads(self):
        client = boto3.client("secretsmanager")
        name = "test/left/" + uuid.uuid4().hex[:8]
        client.create_secret(Name=name, SecretString=json.dumps({"host": "h", "port": 6000, "username": "u", "password": "left-Pa55", "dbname": "d"}))
        self.assertEqual(dbconfig.load_db_config(client, name).port, 6000)
