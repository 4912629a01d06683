"""An idempotent-write solution in Python. Deliberately wrong: when
put_secret_value raises ResourceExistsException (the token was used for
another value) it writes again with a uuid4 token, the very duplicate the
token guards against.
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
    token = os.environ["REQUEST_TOKEN"]
    value = os.environ["NEW_VALUE"]
    client = boto3.client("secretsmanager")
    try:
        try:
            client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        except ClientError as e:
            if e.response["Error"]["Code"] != "ResourceExistsException":
                raise
            # The token was used already: write with a new one.
            token = str(uuid.uuid4())
            client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        print("previous release:", release(client, name, VersionStage="AWSPREVIOUS"))
        print("new release:", release(client, name, VersionId=token))
    except ClientError as e:
        raise SystemExit(f"idempotent-write: {name}: {e.response['Error']['Code']}")


if __name__ == "__main__":
    main()
