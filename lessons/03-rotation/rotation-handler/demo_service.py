"""A client for the demo service whose API keys the rotation handler rotates
(provided; do not edit it). Its URL and admin token come from the
environment, as a Lambda's configuration would: DEMO_SERVICE_URL and
DEMO_SERVICE_ADMIN_TOKEN. Errors never quote a key.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request


class DemoServiceError(Exception):
    """A call the demo service refused; status is the HTTP status (401 for a
    key it does not accept)."""

    def __init__(self, message, status=0):
        super().__init__(message)
        self.status = status


def _call(method, path, body=None, headers=None, admin=True):
    url = os.environ["DEMO_SERVICE_URL"] + path
    headers = dict(headers or {})
    if admin:
        headers["Authorization"] = "Bearer " + os.environ["DEMO_SERVICE_ADMIN_TOKEN"]
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    # No proxy: the service is on this machine.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=10) as resp:
            text = resp.read()
    except urllib.error.HTTPError as e:
        try:
            why = json.loads(e.read() or b"{}").get("error", "")
        except ValueError:
            why = ""
        raise DemoServiceError(f"demo service: {method} {path}: HTTP {e.code}: {why}", e.code) from None
    except urllib.error.URLError as e:
        raise DemoServiceError(f"demo service: {method} {path}: {e.reason} (is it running at {os.environ['DEMO_SERVICE_URL']}?)") from None
    return json.loads(text) if text.strip() else {}


def who_am_i(key):
    """Logs in with key and returns its user; a refused key raises
    DemoServiceError with status 401, and so does any other failure (status
    503 when the service fails, 0 when it cannot be reached)."""
    return _call("GET", "/whoami", headers={"X-Api-Key": key}, admin=False)["user"]


def add_key(user, key):
    """Registers key for user (idempotent)."""
    _call("POST", "/admin/keys", {"user": user, "key": key})


def revoke_key(key):
    """Revokes key (idempotent)."""
    _call("POST", "/admin/keys/revoke", {"key": key})


def revoke_other_keys(user, keep):
    """Revokes every key of user except those in keep (idempotent)."""
    _call("POST", "/admin/users/" + urllib.parse.quote(user, safe="") + "/revoke-others", {"keep": list(keep)})


def key_count(user):
    """How many keys user has."""
    return _call("GET", "/admin/users/" + urllib.parse.quote(user, safe=""))["keys"]
