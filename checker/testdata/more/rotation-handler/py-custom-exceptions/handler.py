"""Right but different. Rotation handler with its own exception types, the
event checks in a helper, a uuid4 key, a createSecret made idempotent by
Secrets Manager itself (a second PutSecretValue with the same token and
another value is refused with ResourceExistsException, and the first key
stays), and a finishSecret that finds the current version by listing the
versions."""
import json
import logging
import uuid

import boto3
from botocore.exceptions import ClientError

import demo_service

log = logging.getLogger(__name__)
client = boto3.client("secretsmanager")


class RotationError(Exception):
    """The rotation cannot go on."""


class StaleEvent(RotationError):
    """The event names a version this rotation cannot act on."""


class KeyTestFailed(RotationError):
    """The pending key does not log in as the secret's user."""


def _error_code(e):
    return e.response.get("Error", {}).get("Code")


def _check_event(arn, token):
    """Returns True when the step must run, False when the version is
    already current (nothing to do); raises StaleEvent otherwise."""
    meta = client.describe_secret(SecretId=arn)
    if meta.get("RotationEnabled") is not True:
        raise StaleEvent(f"rotation is not enabled for secret {arn}")
    stages = meta.get("VersionIdsToStages") or {}
    if token not in stages:
        raise StaleEvent(f"secret {arn} has no version {token}")
    if "AWSCURRENT" in stages[token]:
        return False
    if "AWSPENDING" not in stages[token]:
        raise StaleEvent(f"version {token} of {arn} is not AWSPENDING (labels: {stages[token]})")
    return True


def lambda_handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    handlers = {
        "createSecret": create_secret,
        "setSecret": set_secret,
        "testSecret": test_secret,
        "finishSecret": finish_secret,
    }
    if step not in handlers:
        raise RotationError(f"unknown step {step!r}")
    if not _check_event(arn, token):
        log.info("%s: version %s is already AWSCURRENT, nothing to do", step, token)
        return
    handlers[step](arn, token)
    log.info("%s done for version %s", step, token)


def _read(arn, **kw):
    out = client.get_secret_value(SecretId=arn, **kw)
    value = json.loads(out["SecretString"])
    if not value.get("username") or not value.get("api_key"):
        raise RotationError("the secret is not {username, api_key} JSON")
    return value


def _pending(arn, token):
    return _read(arn, VersionId=token, VersionStage="AWSPENDING")


def create_secret(arn, token):
    current = _read(arn, VersionStage="AWSCURRENT")
    new = {"username": current["username"], "api_key": "sk_" + uuid.uuid4().hex + uuid.uuid4().hex}
    try:
        client.put_secret_value(
            SecretId=arn,
            ClientRequestToken=token,
            SecretString=json.dumps(new),
            VersionStages=["AWSPENDING"],
        )
    except ClientError as e:
        if _error_code(e) != "ResourceExistsException":
            raise
        # An earlier run stored this version's value: keep that key.
        log.info("createSecret: version %s already has a value", token)


def set_secret(arn, token):
    p = _pending(arn, token)
    demo_service.add_key(p["username"], p["api_key"])


def test_secret(arn, token):
    p = _pending(arn, token)
    try:
        user = demo_service.who_am_i(p["api_key"])
    except demo_service.DemoServiceError as e:
        raise KeyTestFailed(f"the pending key of {p['username']} does not work (status {e.status})") from e
    if user != p["username"]:
        raise KeyTestFailed(f"the pending key logs in as {user!r}, not {p['username']!r}")


def _current_version(arn):
    kw = {"SecretId": arn}
    while True:
        page = client.list_secret_version_ids(**kw)
        for v in page["Versions"]:
            if "AWSCURRENT" in v.get("VersionStages", []):
                return v["VersionId"]
        if not page.get("NextToken"):
            return None
        kw["NextToken"] = page["NextToken"]


def finish_secret(arn, token):
    p = _pending(arn, token)
    current = _current_version(arn)
    if current != token:
        kw = {"RemoveFromVersionId": current} if current else {}
        client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, **kw)
    demo_service.revoke_other_keys(p["username"], keep=[p["api_key"]])
