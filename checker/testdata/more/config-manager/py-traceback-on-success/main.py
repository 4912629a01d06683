"""A config-manager solution. Deliberately wrong: an optional setting it does not find prints a traceback (traceback.print_exc), though the program goes on and succeeds."""
import json
import traceback
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
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            raise SystemExit(
                f"config-manager: secret {name!r} not found: create it, "
                "or set DATABASE_SECRET_NAME to an existing secret"
            )
        raise SystemExit(f"config-manager: reading secret {name!r}: {e.response['Error']['Code']}")
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
    try:
        sslmode = db["sslmode"]
    except KeyError:
        traceback.print_exc()  # optional setting: note it and go on
        sslmode = "require"
    print(
        f"host={db['host']} port={db['port']} user={db['username']} "
        f"database={db['dbname']} password={MASK}"
    )


if __name__ == "__main__":
    sys.exit(main())
