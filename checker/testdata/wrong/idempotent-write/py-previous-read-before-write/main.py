"""An idempotent-write solution in Python. Deliberately wrong: it prints as the
previous release the AWSCURRENT it read before its write (it reads
AWSPREVIOUS too, and drops it), so a retry prints the new release as the
previous one.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError


def release(client, name, **version):
    """The "release" field of one version of the secret."""
    out = client.get_secret_value(SecretId=name, **version)
    return json.loads(out["SecretString"])["release"]


def main():
    name = os.environ["SECRET_NAME"]
    token = os.environ["REQUEST_TOKEN"]
    value = os.environ["NEW_VALUE"]
    client = boto3.client("secretsmanager")
    try:
        before = release(client, name, VersionStage="AWSCURRENT")
        client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        release(client, name, VersionStage="AWSPREVIOUS")  # make sure it rotated
        print("previous release:", before)
        print("new release:", release(client, name, VersionId=token))
    except ClientError as e:
        raise SystemExit(f"idempotent-write: {name}: {e.response['Error']['Code']}")


if __name__ == "__main__":
    main()
