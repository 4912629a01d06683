"""A right solution: the settings printed as one JSON object (json.dumps),
JSON log lines on stderr with a random request id and the version read:
output that varies from run to run, but not with the password."""
import json
import os
import sys
import uuid

import boto3
from botocore.exceptions import ClientError

REQUEST_ID = str(uuid.uuid4())


def log(level, msg, **kw):
    print(json.dumps({"level": level, "request_id": REQUEST_ID, "msg": msg, **kw}), file=sys.stderr)


def main():
    name = os.environ.get("DATABASE_SECRET_NAME")
    if not name:
        log("error", "DATABASE_SECRET_NAME is not set")
        sys.exit(1)
    try:
        out = boto3.client("secretsmanager").get_secret_value(SecretId=name)
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            log("error", "secret does not exist", secret=name)
        else:
            log("error", "cannot read secret", secret=name, code=e.response["Error"]["Code"])
        sys.exit(1)
    db = json.loads(out["SecretString"])
    log("info", "loaded secret", secret=name, version=out["VersionId"])
    print(json.dumps({"host": db["host"], "port": db["port"], "user": db["username"],
                      "database": db["dbname"], "password": "********"}))


if __name__ == "__main__":
    main()
