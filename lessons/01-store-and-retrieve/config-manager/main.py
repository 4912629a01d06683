"""config-manager, in Python: load database credentials from Secrets Manager
and print the connection settings with the password masked.

Read README.md next to this file ("In Python"); check your work with
`secretlings check config-manager --lang python`.
"""
import json

import boto3


def main():
    # boto3 finds the endpoint, region and credentials in the environment
    # (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_DEFAULT_REGION, ...).
    client = boto3.client("secretsmanager")

    # TODO: take the name from the DATABASE_SECRET_NAME environment variable.
    name = "prod/database"

    # TODO: a missing secret deserves a clear message and exit status 1.
    out = client.get_secret_value(SecretId=name)
    db = json.loads(out["SecretString"])

    # TODO: never print the password: mask it.
    print(db)


if __name__ == "__main__":
    main()
