"""Right, but different: plain test functions with assert, as pytest
would run them, and botocore's Stubber in place of any Secrets Manager:
it checks the request's parameters and answers from a queue."""

import json

import boto3
from botocore.stub import Stubber

from dbconfig import DEFAULT_PORT, InvalidConfigError, NotFoundError, load_db_config

PASSWORD = "stub-Pa55word"
NAME = "test/stubbed"


def stubbed(value=None, error=None):
    client = boto3.client("secretsmanager", region_name="us-east-1")
    stub = Stubber(client)
    params = {"SecretId": NAME, "VersionStage": "AWSCURRENT"}
    if error:
        stub.add_client_error("get_secret_value", service_error_code=error, expected_params=params)
    else:
        stub.add_response("get_secret_value", {"Name": NAME, "SecretString": value}, params)
    stub.activate()
    return client


def doc(**fields):
    d = {"host": "h", "port": 2345, "username": "u", "password": PASSWORD, "dbname": "d"}
    d.update(fields)
    return json.dumps({k: v for k, v in d.items() if v is not None})


def raises(kind, client):
    try:
        load_db_config(client, NAME)
    except kind as e:
        return str(e)
    raise AssertionError(f"no {kind.__name__}")


def test_reads_every_field():
    cfg = load_db_config(stubbed(doc()), NAME)
    assert (cfg.host, cfg.port, cfg.username, cfg.database) == ("h", 2345, "u", "d")
    assert cfg.password == PASSWORD, "wrong password"
    assert PASSWORD not in f"{cfg} {cfg!r}", "a Config shows its password"


def test_default_port():
    assert load_db_config(stubbed(doc(port=None)), NAME).port == DEFAULT_PORT


def test_not_found():
    raises(NotFoundError, stubbed(error="ResourceNotFoundException"))


def test_invalid():
    for value in ["{", doc(host=None), doc(username=None), doc(password=None), doc(dbname=None), doc(port=99999)]:
        assert PASSWORD not in raises(InvalidConfigError, stubbed(value))
