"""A right solution: logging to stderr with millisecond timestamps, the
version read and how long it took, and the settings printed from a dict
whose password is masked: output that varies between runs, but not with
the password."""
import json
import logging
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError

log = logging.getLogger("config-manager")


def main():
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    name = os.environ.get("DATABASE_SECRET_NAME")
    if not name:
        log.error("DATABASE_SECRET_NAME is not set")
        return 1
    started = time.monotonic()
    try:
        out = boto3.client("secretsmanager").get_secret_value(SecretId=name)
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            log.error("secret %s does not exist", name)
        else:
            log.error("reading %s failed: %s", name, e.response["Error"]["Code"])
        return 1
    log.info("read %s version %s in %.1f ms", name, out["VersionId"], (time.monotonic() - started) * 1000)
    db = json.loads(out["SecretString"])
    shown = {k: ("********" if k == "password" else v) for k, v in db.items()}
    print(" ".join(f"{k}={v}" for k, v in shown.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
