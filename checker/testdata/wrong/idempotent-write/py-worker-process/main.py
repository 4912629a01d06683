"""Wrong: the work is right, but a second interpreter this program starts
does it (multiprocessing would too), so the checker cannot tell this
program's calls from anything else on the machine."""
import subprocess
import sys

WORKER = r'''
import json, os, sys
import boto3
from botocore.exceptions import ClientError
name, token, value = os.environ.get("SECRET_NAME"), os.environ.get("REQUEST_TOKEN"), os.environ.get("NEW_VALUE")
if not (name and token and value):
    sys.exit("idempotent-write: SECRET_NAME, REQUEST_TOKEN and NEW_VALUE must all be set")
client = boto3.client("secretsmanager")
def release(**version):
    return json.loads(client.get_secret_value(SecretId=name, **version)["SecretString"])["release"]
try:
    client.put_secret_value(SecretId=name, SecretString=value, ClientRequestToken=token)
    print("previous release:", release(VersionStage="AWSPREVIOUS"))
    print("new release:", release(VersionId=token))
except ClientError as e:
    sys.exit(f"idempotent-write: {name}: {e.response['Error']['Code']}")
'''

sys.exit(subprocess.run([sys.executable, "-c", WORKER]).returncode)
