"""An idempotent-write solution in Python. Deliberately wrong: it prints the
error code of a failed call and exits 0, so a pipeline takes a refused write
for a success.
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
        client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        print("previous release:", release(client, name, VersionStage="AWSPREVIOUS"))
        print("new release:", release(client, name, VersionId=token))
    except ClientError as e:
        print(f"idempotent-write: {name}: {e.response['Error']['Code']}")


if __name__ == "__main__":
    main()
