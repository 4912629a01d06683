"""idempotent-write, in Python: write a new version of a secret idempotently
with a ClientRequestToken, then read values by staging label and by version
id. Read README.md next to this file ("In Python"); check your work with
`secretlings check idempotent-write --lang python`.
"""
import os
import sys

import boto3


def main():
    client = boto3.client("secretsmanager")
    name = os.environ.get("SECRET_NAME")
    token = os.environ.get("REQUEST_TOKEN")
    value = os.environ.get("NEW_VALUE")
    _ = (client, name, token, value)

    # TODO 1: put_secret_value with SecretString=value and ClientRequestToken=token.
    # TODO 2: get_secret_value by VersionStage AWSPREVIOUS; print "previous release: …".
    # TODO 3: get_secret_value by VersionId token; print "new release: …".
    sys.exit("not implemented yet: see README.md")


if __name__ == "__main__":
    main()
