"""Right but different. Rotation function for the demo service's API keys,
written after AWS's SecretsManagerRotationTemplate (lambda_function.py): the
same preamble, the same four functions taking the client, logging through
the logging module."""
import json
import logging
import secrets

import boto3

import demo_service

logger = logging.getLogger()
logger.setLevel(logging.INFO)

service_client = boto3.client("secretsmanager")


def lambda_handler(event, context):
    """Secrets Manager Rotation Template

    Args:
        event (dict): Lambda dictionary of event parameters. These keys must include the following:
            - SecretId: The secret ARN or identifier
            - ClientRequestToken: The ClientRequestToken of the secret version
            - Step: The rotation step (one of createSecret, setSecret, testSecret, or finishSecret)
        context (LambdaContext): The Lambda runtime information

    Raises:
        ResourceNotFoundException: If the secret with the specified arn and stage does not exist
        ValueError: If the secret is not properly configured for rotation
        KeyError: If the event parameters do not contain the expected keys
    """
    arn = event['SecretId']
    token = event['ClientRequestToken']
    step = event['Step']

    # Make sure the version is staged correctly
    metadata = service_client.describe_secret(SecretId=arn)
    if not metadata['RotationEnabled']:
        logger.error("Secret %s is not enabled for rotation" % arn)
        raise ValueError("Secret %s is not enabled for rotation" % arn)
    versions = metadata['VersionIdsToStages']
    if token not in versions:
        logger.error("Secret version %s has no stage for rotation of secret %s." % (token, arn))
        raise ValueError("Secret version %s has no stage for rotation of secret %s." % (token, arn))
    if "AWSCURRENT" in versions[token]:
        logger.info("Secret version %s already set as AWSCURRENT for secret %s." % (token, arn))
        return
    elif "AWSPENDING" not in versions[token]:
        logger.error("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))
        raise ValueError("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))

    if step == "createSecret":
        create_secret(service_client, arn, token)

    elif step == "setSecret":
        set_secret(service_client, arn, token)

    elif step == "testSecret":
        test_secret(service_client, arn, token)

    elif step == "finishSecret":
        finish_secret(service_client, arn, token)

    else:
        raise ValueError("Invalid step parameter")


def create_secret(service_client, arn, token):
    """Create the secret: the same user with a new random key, as AWSPENDING."""
    # Make sure the current secret exists
    current_dict = get_secret_dict(service_client, arn, "AWSCURRENT")

    # Now try to get the secret version, if that fails, put a new secret
    try:
        get_secret_dict(service_client, arn, "AWSPENDING", token)
        logger.info("createSecret: Successfully retrieved secret for %s." % arn)
    except service_client.exceptions.ResourceNotFoundException:
        current_dict['api_key'] = "sk_" + secrets.token_urlsafe(32)

        # Put the secret
        service_client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current_dict), VersionStages=['AWSPENDING'])
        logger.info("createSecret: Successfully put secret for ARN %s and version %s." % (arn, token))


def set_secret(service_client, arn, token):
    """Set the secret: register the pending key with the demo service."""
    pending_dict = get_secret_dict(service_client, arn, "AWSPENDING", token)
    demo_service.add_key(pending_dict['username'], pending_dict['api_key'])
    logger.info("setSecret: Successfully set the pending key for user %s of secret %s." % (pending_dict['username'], arn))


def test_secret(service_client, arn, token):
    """Test the secret: log in with the pending key."""
    pending_dict = get_secret_dict(service_client, arn, "AWSPENDING", token)
    user = demo_service.who_am_i(pending_dict['api_key'])
    if user != pending_dict['username']:
        logger.error("testSecret: the pending key of secret %s logs in as another user" % arn)
        raise ValueError("The pending key of secret %s logs in as %s, not %s" % (arn, user, pending_dict['username']))
    logger.info("testSecret: Successfully logged in with the pending key of secret %s." % arn)


def finish_secret(service_client, arn, token):
    """Finish the secret: move AWSCURRENT, then revoke the user's other keys."""
    pending_dict = get_secret_dict(service_client, arn, "AWSPENDING", token)

    # First describe the secret to get the current version
    metadata = service_client.describe_secret(SecretId=arn)
    current_version = None
    for version in metadata["VersionIdsToStages"]:
        if "AWSCURRENT" in metadata["VersionIdsToStages"][version]:
            if version == token:
                # The correct version is already marked as current
                logger.info("finishSecret: Version %s already marked as AWSCURRENT for %s" % (version, arn))
                current_version = token
            else:
                current_version = version
            break

    if current_version != token:
        # Finalize by staging the secret version current
        service_client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current_version)
        logger.info("finishSecret: Successfully set AWSCURRENT stage to version %s for secret %s." % (token, arn))

    demo_service.revoke_other_keys(pending_dict['username'], keep=[pending_dict['api_key']])
    logger.info("finishSecret: Revoked the other keys of user %s." % pending_dict['username'])


def get_secret_dict(service_client, arn, stage, token=None):
    """Gets the secret dictionary corresponding for the secret arn, stage, and token"""
    required_fields = ['username', 'api_key']

    # Only do VersionId validation against the stage if a token is passed in
    if token:
        secret = service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage=stage)
    else:
        secret = service_client.get_secret_value(SecretId=arn, VersionStage=stage)
    plaintext = secret['SecretString']
    secret_dict = json.loads(plaintext)

    # Run validations against the secret
    for field in required_fields:
        if field not in secret_dict:
            raise KeyError("%s key is missing from secret JSON" % field)

    return secret_dict
