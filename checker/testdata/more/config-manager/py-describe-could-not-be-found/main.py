"""A right solution: a dataclass and a small store class; describe_secret
first, then get_secret_value by the ARN it returns; exits 2 on errors; a
missing secret "could not be found" (no "not found" in those words)."""
import json
import os
import sys
from dataclasses import dataclass

import boto3
from botocore.exceptions import ClientError

MASK = "********"


@dataclass(frozen=True)
class DBSettings:
    host: str
    port: int
    username: str
    password: str
    dbname: str

    def __str__(self):
        return (f"host={self.host} port={self.port} user={self.username} "
                f"database={self.dbname} password={MASK}")

    __repr__ = __str__


class SecretStore:
    def __init__(self, client):
        self.client = client

    def load(self, name):
        arn = self.client.describe_secret(SecretId=name)["ARN"]
        out = self.client.get_secret_value(SecretId=arn)
        doc = json.loads(out["SecretString"])
        return DBSettings(**{k: doc[k] for k in ("host", "port", "username", "password", "dbname")})


def main():
    name = os.environ.get("DATABASE_SECRET_NAME", "").strip()
    if not name:
        sys.stderr.write("config-manager: the environment variable DATABASE_SECRET_NAME must name the database secret\n")
        return 2
    store = SecretStore(boto3.client("secretsmanager"))
    try:
        settings = store.load(name)
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code == "ResourceNotFoundException":
            sys.stderr.write(f"config-manager: secret '{name}' could not be found\n")
        else:
            sys.stderr.write(f"config-manager: cannot read secret '{name}' ({code})\n")
        return 2
    print(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
