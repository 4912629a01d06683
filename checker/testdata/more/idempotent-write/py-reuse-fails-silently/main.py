"""An idempotent-write solution in Python. Deliberately wrong: when
put_secret_value raises ResourceExistsException it exits 1 without a word,
so whoever runs the pipeline cannot tell why the write failed.
"""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def release(client, name, **version):
    """The "release" field of one version of the secret."""
    out = client.get_secret_value(SecretId=name, **version)
    return json.loads(out["SecretString"])["release"]


def main():
    name = os.environ.get("SECRET_NAME")
    token = os.environ.get("REQUEST_TOKEN")
    value = os.environ.get("NEW_VALUE")
    if not (name and token and value):
        sys.exit("idempotent-write: SECRET_NAME, REQUEST_TOKEN and NEW_VALUE must all be set")
    client = boto3.client("secretsmanager")
    try:
        client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code == "ResourceExistsException":
            sys.exit(1)
        sys.exit(f"idempotent-write: writing the new version of {name}: {code}")
    try:
        print("previous release:", release(client, name, VersionStage="AWSPREVIOUS"))
        print("new release:", release(client, name, VersionId=token))
    except ClientError as e:
        sys.exit(f"idempotent-write: reading {name}: {e.response['Error']['Code']}")


if __name__ == "__main__":
    main()
