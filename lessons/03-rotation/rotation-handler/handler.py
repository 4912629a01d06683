"""rotation-handler, in Python: a Secrets Manager rotation function for the
demo service's API keys, with the standard Lambda entry point. Read README.md
("In Python"); check your work with
`secretlings check rotation-handler --lang python`.
"""
import boto3
from botocore.exceptions import ClientError  # noqa: F401 (you will need it)

import demo_service  # noqa: F401 (add_key, who_am_i, revoke_other_keys)

client = boto3.client("secretsmanager")


def lambda_handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    # TODO: describe the secret; raise when rotation is not enabled or the
    # token is not one of its versions, do nothing when the version is
    # already AWSCURRENT, and raise when it is not AWSPENDING.
    steps = {
        "createSecret": create_secret,
        "setSecret": set_secret,
        "testSecret": test_secret,
        "finishSecret": finish_secret,
    }
    if step not in steps:
        raise ValueError(f"unknown step {step!r}")
    steps[step](arn, token)


def create_secret(arn, token):
    # TODO: unless the AWSPENDING version (VersionId=token) has a value, store
    # the current {"username", "api_key"} with a new key as AWSPENDING.
    raise NotImplementedError("createSecret is not written yet: see README.md")


def set_secret(arn, token):
    # TODO: register the pending key with demo_service.add_key.
    raise NotImplementedError("setSecret is not written yet: see README.md")


def test_secret(arn, token):
    # TODO: log in with the pending key (demo_service.who_am_i); raise if it fails.
    raise NotImplementedError("testSecret is not written yet: see README.md")


def finish_secret(arn, token):
    # TODO: move AWSCURRENT to token; once that worked, revoke the user's
    # other keys.
    raise NotImplementedError("finishSecret is not written yet: see README.md")
