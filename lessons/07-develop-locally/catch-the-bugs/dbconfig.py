"""Load a database configuration from AWS Secrets Manager.

This is the code under test of the catch-the-bugs exercise in Python, and
it is correct: do not edit it (the checker always uses its own copy). Your
job is test_dbconfig.py, a test that would notice if this code were
broken. Read README.md next to this file ("In Python"); check your work
with `secretlings check catch-the-bugs --lang python`.
"""

import json
from dataclasses import dataclass

from botocore.exceptions import ClientError

DEFAULT_PORT = 5432
"""The port of a configuration that names none."""


class ConfigError(Exception):
    """Anything load_db_config cannot turn into a Config."""


class NotFoundError(ConfigError):
    """No secret has the name."""


class InvalidConfigError(ConfigError):
    """The secret is not a database configuration: not a JSON object, a
    required field missing, or a port out of range."""


@dataclass(frozen=True)
class Config:
    """A database configuration."""

    host: str
    port: int
    username: str
    password: str
    database: str

    def __repr__(self):
        # The password is left out, so a Config printed or logged by
        # mistake reveals nothing (str() and f-strings use this too).
        return f"Config({self.username}@{self.host}:{self.port}/{self.database}, password masked)"


def load_db_config(client, name):
    """Read the current version (AWSCURRENT) of the secret called name, a
    JSON object with host, port, username, password and dbname, and return
    it as a Config.

    host, username, password and dbname are required; a missing port means
    DEFAULT_PORT. A missing secret raises NotFoundError, anything else wrong
    with the value InvalidConfigError; no error ever contains the value.
    """
    try:
        response = client.get_secret_value(SecretId=name, VersionStage="AWSCURRENT")
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            raise NotFoundError(f"dbconfig: secret not found: {name}") from None
        raise ConfigError(f"dbconfig: reading {name}: {err}") from None
    raw = response.get("SecretString") or ""
    try:
        doc = json.loads(raw)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        # Not chained to the JSON error: it quotes the value (its .doc is all of it).
        raise InvalidConfigError(f"dbconfig: {name} does not hold a JSON object with host, port, username, password and dbname") from None
    missing = [field for field in ("host", "username", "password", "dbname") if not doc.get(field)]
    if missing:
        raise InvalidConfigError(f"dbconfig: {name} lacks {', '.join(missing)}")
    port = doc.get("port") or DEFAULT_PORT
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise InvalidConfigError(f"dbconfig: {name} has a port that is not a number from 1 to 65535")
    return Config(host=doc["host"], port=port, username=doc["username"], password=doc["password"], database=doc["dbname"])
