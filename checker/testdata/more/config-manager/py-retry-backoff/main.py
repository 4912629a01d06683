"""A right solution: retries throttling with jittered exponential backoff,
a missing secret is "no such secret", and errors exit with status 2."""
import json
import os
import random
import sys
import time

import boto3
from botocore.exceptions import ClientError

RETRYABLE = {"ThrottlingException", "TooManyRequestsException", "InternalServiceError"}


def get_with_backoff(client, name, attempts=5):
    for attempt in range(attempts):
        try:
            return client.get_secret_value(SecretId=name)
        except ClientError as e:
            if e.response["Error"]["Code"] not in RETRYABLE or attempt == attempts - 1:
                raise
            time.sleep(min(2 ** attempt * 0.1, 2) * random.random())


def main():
    name = os.environ.get("DATABASE_SECRET_NAME")
    if name is None or name == "":
        sys.exit("DATABASE_SECRET_NAME is empty or unset; set it to the secret's name or ARN")
    client = boto3.client("secretsmanager")
    try:
        out = get_with_backoff(client, name)
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            print(f"{name}: no such secret", file=sys.stderr)
            sys.exit(2)
        print(f"{name}: {e.response['Error']['Code']}", file=sys.stderr)
        sys.exit(2)
    db = json.loads(out["SecretString"])
    parts = [("host", db["host"]), ("port", db["port"]), ("user", db["username"]),
             ("database", db["dbname"]), ("password", "********")]
    print(" ".join(f"{k}={v}" for k, v in parts))


if __name__ == "__main__":
    main()
