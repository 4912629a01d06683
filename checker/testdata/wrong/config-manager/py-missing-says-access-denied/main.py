"""A config-manager solution. Deliberately wrong: a missing secret is reported as a missing permission, which sends the reader to ask for access instead of creating the secret."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

# A fixed-width mask: one character per character would tell the length.
MASK = "********"


def load(client, name):
    """Reads and decodes the secret. Its errors never quote the value."""
    try:
        out = client.get_secret_value(SecretId=name)
    except ClientError as e:
        raise SystemExit(f"config-manager: no permission to read {name!r}: ask for secretsmanager:GetSecretValue")
    try:
        return json.loads(out["SecretString"])
    except (KeyError, ValueError):
        # json's messages can quote the input, so name only the secret.
        raise SystemExit(f"config-manager: secret {name!r} is not the expected JSON object")


def main():
    name = os.environ.get("DATABASE_SECRET_NAME", "")
    if not name:
        raise SystemExit("config-manager: DATABASE_SECRET_NAME is not set: export it with the name of the database secret")
    db = load(boto3.client("secretsmanager"), name)
    print(
        f"host={db['host']} port={db['port']} user={db['username']} "
        f"database={db['dbname']} password={MASK}"
    )


if __name__ == "__main__":
    sys.exit(main())
