"""Wrong: has another program make its calls. The work is right, but it is
done by a second interpreter this one starts, so the checker cannot tell
this program's calls from anything else on the machine."""
import subprocess
import sys

WORKER = r'''
import json, os, sys
import boto3
from botocore.exceptions import ClientError
name = os.environ["DATABASE_SECRET_NAME"]
try:
    db = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])
except ClientError:
    raise SystemExit(f"config-manager: secret {name!r} not found: create it, or set DATABASE_SECRET_NAME")
print(f"host={db['host']} port={db['port']} user={db['username']} database={db['dbname']} password=********")
'''

sys.exit(subprocess.run([sys.executable, "-c", WORKER]).returncode)
