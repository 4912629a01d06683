"""Reference solution of rotation-handler, in Python: the four steps of the
single-user strategy for the demo service's API keys, each idempotent, with
the standard Lambda entry point (the shape of AWS's own rotation templates).
"""
import json
import secrets

import boto3
from botocore.exceptions import ClientError

import demo_service

# Made once per process, as a Lambda keeps it between warm invocations.
client = boto3.client("secretsmanager")


def lambda_handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    meta = client.describe_secret(SecretId=arn)
    if not meta.get("RotationEnabled"):
        raise ValueError(f"secret {arn} is not enabled for rotation")
    stages = meta.get("VersionIdsToStages", {})
    if token not in stages:
        raise ValueError(f"secret {arn} has no version {token}")
    if "AWSCURRENT" in stages[token]:
        return  # already rotated in: a retry has nothing to do
    if "AWSPENDING" not in stages[token]:
        raise ValueError(f"version {token} of secret {arn} is not AWSPENDING")
    steps = {
        "createSecret": create_secret,
        "setSecret": set_secret,
        "testSecret": test_secret,
        "finishSecret": finish_secret,
    }
    if step not in steps:
        raise ValueError(f"unknown step {step!r}")
    steps[step](arn, token)


def pending(arn, token):
    """The value being rotated in, by version id and label."""
    out = client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    return json.loads(out["SecretString"])


def create_secret(arn, token):
    """Stores the same user with a new key as AWSPENDING, unless a retry
    finds it stored already (so the first key is kept)."""
    try:
        pending(arn, token)
        return
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    current = json.loads(client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
    new = dict(current, api_key="sk_" + secrets.token_urlsafe(32))
    client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(new), VersionStages=["AWSPENDING"])


def set_secret(arn, token):
    """Registers the pending key with the demo service (idempotent)."""
    p = pending(arn, token)
    demo_service.add_key(p["username"], p["api_key"])


def test_secret(arn, token):
    """Logs in with the pending key; an error stops the rotation before
    AWSCURRENT moves."""
    p = pending(arn, token)
    user = demo_service.who_am_i(p["api_key"])
    if user != p["username"]:
        raise ValueError(f"the new key belongs to {user!r}, not {p['username']!r}")


def finish_secret(arn, token):
    """Makes the pending version AWSCURRENT, then revokes the user's other
    keys."""
    p = pending(arn, token)
    stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    current = next((v for v, s in stages.items() if "AWSCURRENT" in s), None)
    if current != token:
        client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)
    demo_service.revoke_other_keys(p["username"], keep=[])  # wrong: the new key too, for a moment
    demo_service.add_key(p["username"], p["api_key"])
