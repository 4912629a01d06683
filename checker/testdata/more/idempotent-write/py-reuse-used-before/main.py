"""A right solution: lists every missing variable; the conflict message
says in its own words that "this request token was used before for a
different value", naming neither the token nor the error."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def main():
    missing = [v for v in ("SECRET_NAME", "REQUEST_TOKEN", "NEW_VALUE") if not os.environ.get(v)]
    if missing:
        sys.exit("error: missing environment variable(s): " + ", ".join(missing))
    name, token, value = (os.environ[v] for v in ("SECRET_NAME", "REQUEST_TOKEN", "NEW_VALUE"))
    client = boto3.client("secretsmanager")
    try:
        client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceExistsException":
            sys.exit("error: this request token was used before for a different value; "
                     "a new value needs a new token. Nothing was written.")
        sys.exit(f"error: writing {name} failed: {e.response['Error']['Code']}")
    prev = json.loads(client.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"])
    new = json.loads(client.get_secret_value(SecretId=name, VersionId=token)["SecretString"])
    print(f"previous release: {prev['release']}")
    print(f"new release: {new['release']}")


if __name__ == "__main__":
    main()
