"""Right but different. Rotation function in the shape of AWS's database
rotation templates (SecretsManagerRDS...Rotation{Single,Multi}User), adapted
to a service with one user: setSecret first tries the pending key and
returns if it already works, and checks that the current (or previous) key
still works before it changes anything. Logs go to stderr through logging;
no key is ever logged."""
import json
import logging
import os
import secrets

import boto3
from botocore.exceptions import ClientError

import demo_service

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
logger = logging.getLogger("rotation")

client = boto3.client("secretsmanager")


def lambda_handler(event, context):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]

    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        logger.error("Secret %s is not enabled for rotation", arn)
        raise ValueError("Secret %s is not enabled for rotation" % arn)
    versions = metadata["VersionIdsToStages"]
    if token not in versions:
        logger.error("Secret version %s has no stage for rotation of secret %s.", token, arn)
        raise ValueError("Secret version %s has no stage for rotation of secret %s." % (token, arn))
    if "AWSCURRENT" in versions[token]:
        logger.info("Secret version %s already set as AWSCURRENT for secret %s.", token, arn)
        return
    elif "AWSPENDING" not in versions[token]:
        logger.error("Secret version %s not set as AWSPENDING for rotation of secret %s.", token, arn)
        raise ValueError("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))

    if step == "createSecret":
        create_secret(client, arn, token)
    elif step == "setSecret":
        set_secret(client, arn, token)
    elif step == "testSecret":
        test_secret(client, arn, token)
    elif step == "finishSecret":
        finish_secret(client, arn, token)
    else:
        logger.error("lambda_handler: Invalid step parameter %s for secret %s", step, arn)
        raise ValueError("Invalid step parameter %s for secret %s" % (step, arn))


def create_secret(service_client, arn, token):
    current_dict = get_secret_dict(service_client, arn, "AWSCURRENT")
    try:
        get_secret_dict(service_client, arn, "AWSPENDING", token)
        logger.info("createSecret: Successfully retrieved secret for %s.", arn)
    except service_client.exceptions.ResourceNotFoundException:
        current_dict["api_key"] = "sk_" + secrets.token_urlsafe(32)
        service_client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current_dict), VersionStages=["AWSPENDING"])
        logger.info("createSecret: Successfully put secret for ARN %s and version %s.", arn, token)


def get_connection(secret_dict):
    """Logs in with the secret's key: its user, or None when refused (401).
    Any other failure (the service is down) raises."""
    try:
        return demo_service.who_am_i(secret_dict["api_key"])
    except demo_service.DemoServiceError as e:
        if e.status == 401:
            return None
        raise


def set_secret(service_client, arn, token):
    try:
        previous_dict = get_secret_dict(service_client, arn, "AWSPREVIOUS")
    except (service_client.exceptions.ResourceNotFoundException, KeyError):
        previous_dict = None
    current_dict = get_secret_dict(service_client, arn, "AWSCURRENT")
    pending_dict = get_secret_dict(service_client, arn, "AWSPENDING", token)

    # First try to login with the pending secret, if it succeeds, return
    if get_connection(pending_dict) == pending_dict["username"]:
        logger.info("setSecret: AWSPENDING key is already registered for secret arn %s.", arn)
        return

    # Make sure the user from current and pending match
    if current_dict["username"] != pending_dict["username"]:
        logger.error("setSecret: Attempting to modify user %s other than current user %s", pending_dict["username"], current_dict["username"])
        raise ValueError("Attempting to modify user %s other than current user %s" % (pending_dict["username"], current_dict["username"]))

    # Now try the current key; if it does not work, try previous
    user = get_connection(current_dict)
    if not user and previous_dict:
        user = get_connection(previous_dict)
    if not user:
        logger.error("setSecret: Unable to log in with previous, current, or pending key of secret arn %s", arn)
        raise ValueError("Unable to log in with previous, current, or pending key of secret arn %s" % arn)

    demo_service.add_key(pending_dict["username"], pending_dict["api_key"])
    logger.info("setSecret: Successfully registered the pending key of user %s in secret arn %s.", pending_dict["username"], arn)


def test_secret(service_client, arn, token):
    pending_dict = get_secret_dict(service_client, arn, "AWSPENDING", token)
    user = demo_service.who_am_i(pending_dict["api_key"])
    if user != pending_dict["username"]:
        logger.error("testSecret: pending key of secret arn %s logs in as another user", arn)
        raise ValueError("Unable to log in as %s with the pending key of secret arn %s" % (pending_dict["username"], arn))
    logger.info("testSecret: Successfully signed in with AWSPENDING key of secret %s.", arn)


def finish_secret(service_client, arn, token):
    metadata = service_client.describe_secret(SecretId=arn)
    current_version = None
    for version in metadata["VersionIdsToStages"]:
        if "AWSCURRENT" in metadata["VersionIdsToStages"][version]:
            current_version = version
            break
    pending_dict = get_secret_dict(service_client, arn, "AWSPENDING", token)
    if current_version != token:
        service_client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current_version)
        logger.info("finishSecret: Successfully set AWSCURRENT stage to version %s for secret %s.", token, arn)
    else:
        logger.info("finishSecret: Version %s already marked as AWSCURRENT for %s", token, arn)
    demo_service.revoke_other_keys(pending_dict["username"], keep=[pending_dict["api_key"]])
    logger.info("finishSecret: Revoked every other key of user %s.", pending_dict["username"])


def get_secret_dict(service_client, arn, stage, token=None):
    required_fields = ["username", "api_key"]
    if token:
        secret = service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage=stage)
    else:
        secret = service_client.get_secret_value(SecretId=arn, VersionStage=stage)
    secret_dict = json.loads(secret["SecretString"])
    for field in required_fields:
        if field not in secret_dict:
            raise KeyError("%s key is missing from secret JSON" % field)
    return secret_dict
