"""Reference solution of idempotent-write, in Python: PutSecretValue with the
pipeline's token as ClientRequestToken (a retry with the same token and value
changes nothing), then read AWSPREVIOUS by label and the new version by id.
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
        out = client.put_secret_value(SecretId=name, SecretString=value)
        token = out["VersionId"]
        print("previous release:", release(client, name, VersionStage="AWSPREVIOUS"))
        print("new release:", release(client, name, VersionId=token))
    except ClientError as e:
        raise SystemExit(f"idempotent-write: {name}: {e.response['Error']['Code']}")


if __name__ == "__main__":
    main()
