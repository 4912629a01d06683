"""An idempotent-write solution in Python. Deliberately wrong: without
REQUEST_TOKEN it makes up a uuid4 token, so the write is not idempotent and
every retry is a new version.
"""
import json
import os

import uuid

import boto3
from botocore.exceptions import ClientError


def release(client, name, **version):
    """The "release" field of one version of the secret."""
    out = client.get_secret_value(SecretId=name, **version)
    return json.loads(out["SecretString"])["release"]


def main():
    name = os.environ["SECRET_NAME"]
    token = os.environ.get("REQUEST_TOKEN") or str(uuid.uuid4())
    value = os.environ["NEW_VALUE"]
    client = boto3.client("secretsmanager")
    try:
        client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        print("previous release:", release(client, name, VersionStage="AWSPREVIOUS"))
        print("new release:", release(client, name, VersionId=token))
    except ClientError as e:
        raise SystemExit(f"idempotent-write: {name}: {e.response['Error']['Code']}")


if __name__ == "__main__":
    main()
