"""A right solution, the reference but for its words: a missing secret
"wasn't found"."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def main():
    name = os.environ.get("DATABASE_SECRET_NAME")
    if not name:
        raise SystemExit("DATABASE_SECRET_NAME is not set")
    try:
        out = boto3.client("secretsmanager").get_secret_value(SecretId=name)
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            raise SystemExit(f"config-manager: secret {name!r} wasn't found")
        raise SystemExit(f"config-manager: reading {name!r}: {e.response['Error']['Code']}")
    db = json.loads(out["SecretString"])
    print(f"host={db['host']} port={db['port']} user={db['username']} database={db['dbname']} password=********")


if __name__ == "__main__":
    main()
