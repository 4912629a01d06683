"""A right solution: the modeled exception class of the client instead of
ClientError's code, and an explicit exit status."""
import json
import os
import sys

import boto3


def main():
    name = os.environ.get("DATABASE_SECRET_NAME")
    if not name:
        print("DATABASE_SECRET_NAME is not set", file=sys.stderr)
        return 1
    client = boto3.client("secretsmanager")
    try:
        db = json.loads(client.get_secret_value(SecretId=name)["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        print(f"secret {name} not found", file=sys.stderr)
        return 1
    print("host={host} port={port} user={username} database={dbname} password=[hidden]".format(**db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
