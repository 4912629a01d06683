"""A right solution: progress logged to stderr with timestamps, botocore's
standard retry mode (every attempt with the same token), the two lines on
stdout, status 2 on any error."""
import json
import logging
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

log = logging.getLogger("idempotent-write")


def need(var):
    v = os.environ.get(var, "")
    if not v:
        log.error("%s is not set", var)
        sys.exit(2)
    return v


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    token = need("REQUEST_TOKEN")
    name, value = need("SECRET_NAME"), need("NEW_VALUE")
    client = boto3.client("secretsmanager", config=Config(retries={"mode": "standard", "max_attempts": 5}))
    try:
        out = client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
        log.info("wrote version %s (stages %s)", out["VersionId"], ",".join(out.get("VersionStages", [])))
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceExistsException":
            log.error("conflict: ClientRequestToken %s already names a version with a different value", token)
        else:
            log.error("PutSecretValue failed: %s", e.response["Error"]["Code"])
        sys.exit(2)
    prev = client.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
    new = client.get_secret_value(SecretId=name, VersionId=token)
    print("previous release: " + json.loads(prev["SecretString"])["release"])
    print("new release: " + json.loads(new["SecretString"])["release"])


if __name__ == "__main__":
    main()
