"""Wrong: it names AWS's own endpoint, so it would test against a real
account (and the checker refuses and reports the request)."""

import unittest

import boto3

import dbconfig


class LoadDBConfigTest(unittest.TestCase):
    def test_missing(self):
        client = boto3.client("secretsmanager", endpoint_url="https://secretsmanager.us-east-1.amazonaws.com")
        with self.assertRaises(dbconfig.ConfigError):
            dbconfig.load_db_config(client, "test/missing")
