"""A right solution: a small writer class that first reads the version the
token names (get_secret_value by VersionId): another value there is
refused before any write; then put_secret_value with the token, which is
idempotent for the same value."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


class ReleaseWriter:
    def __init__(self, client, name):
        self.client, self.name = client, name

    def existing(self, token):
        try:
            return self.client.get_secret_value(SecretId=self.name, VersionId=token)["SecretString"]
        except ClientError as e:
            if e.response["Error"]["Code"] == "ResourceNotFoundException":
                return None
            raise

    def write(self, token, value):
        current = self.existing(token)
        if current is not None and json.loads(current) != json.loads(value):
            raise SystemExit(f"idempotent-write: version {token} of {self.name} already holds another value; refusing to write")
        self.client.put_secret_value(SecretId=self.name, SecretString=value, ClientRequestToken=token)

    def release(self, **version):
        return json.loads(self.client.get_secret_value(SecretId=self.name, **version)["SecretString"])["release"]


def main():
    token = os.environ.get("REQUEST_TOKEN")
    if not token:
        raise SystemExit("idempotent-write: REQUEST_TOKEN is required (the pipeline's idempotency token)")
    name = os.environ.get("SECRET_NAME")
    value = os.environ.get("NEW_VALUE")
    if not name or not value:
        raise SystemExit("idempotent-write: SECRET_NAME and NEW_VALUE are required")
    w = ReleaseWriter(boto3.client("secretsmanager"), name)
    try:
        w.write(token, value)
        print("previous release:", w.release(VersionStage="AWSPREVIOUS"))
        print("new release:", w.release(VersionId=token))
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code == "ResourceExistsException":
            raise SystemExit(f"idempotent-write: {code}: the token is already used by another value")
        raise SystemExit(f"idempotent-write: {code}")


if __name__ == "__main__":
    main()
