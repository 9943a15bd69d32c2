#!/usr/bin/env python3
"""Checks an IAM database authentication token the way Aurora MySQL's AWSAuthenticationPlugin does, for the sandbox.

Run by pam_exec (expose_authtok) when an account IDENTIFIED VIA pam USING '<the sandbox's service>' logs in: the
token arrives on stdin, the account name in PAM_USER. Arguments: the keys file (a JSON object of access key id to
secret key, written by the tests) and the log file. Exit status 0 lets the login in; anything else refuses it.

The token is a presigned request: <host>:<port>/?Action=connect&DBUser=<user>&X-Amz-Algorithm=AWS4-HMAC-SHA256
&X-Amz-Credential=<key>/<date>/<region>/rds-db/aws4_request&X-Amz-Date=...&X-Amz-Expires=900&X-Amz-SignedHeaders=host
&X-Amz-Signature=<hex>. This file recomputes the signature on its own (standard library only), so it shares nothing
with the signer it checks. The log names the user and the decision, never the token or a key.
"""
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.parse

MAX_EXPIRES = 900
CLOCK_SKEW = datetime.timedelta(minutes=5)


def hmac_sha256(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def quote(text):
    # SigV4 canonical form: unreserved characters stay, everything else is %XX in upper case.
    return urllib.parse.quote(text, safe="-_.~")


def check(token, user, keys, now):
    """Returns None when the token is good for user, else the reason it is refused."""
    if "/?" not in token:
        return "not a presigned request (no '/?')"
    host, query = token.split("/?", 1)
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    params = dict(pairs)
    if len(params) != len(pairs):
        return "a query parameter appears twice"
    if params.get("Action") != "connect":
        return "Action is not connect"
    if params.get("DBUser") != user:
        return "DBUser is not the account logging in"
    if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
        return "unknown algorithm"
    if params.get("X-Amz-SignedHeaders") != "host":
        return "signed headers are not just host"
    scope_parts = params.get("X-Amz-Credential", "").split("/")
    if len(scope_parts) != 5 or scope_parts[3] != "rds-db" or scope_parts[4] != "aws4_request":
        return "credential scope is not rds-db"
    access_key, day, region = scope_parts[0], scope_parts[1], scope_parts[2]
    secret = keys.get(access_key)
    if secret is None:
        return "unknown access key"
    try:
        signed_at = datetime.datetime.strptime(params.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        expires = int(params.get("X-Amz-Expires", ""))
    except ValueError:
        return "X-Amz-Date or X-Amz-Expires is malformed"
    if signed_at.strftime("%Y%m%d") != day:
        return "the scope's date is not the signing date"
    if expires <= 0 or expires > MAX_EXPIRES:
        return "X-Amz-Expires is out of range"
    if now + CLOCK_SKEW < signed_at:
        return "signed in the future"
    if now > signed_at + datetime.timedelta(seconds=expires):
        return "expired"

    canonical_query = "&".join(
        f"{quote(k)}={quote(v)}" for k, v in sorted(pairs) if k != "X-Amz-Signature")
    canonical_request = "\n".join([
        "GET", "/", canonical_query, f"host:{host}", "", "host", hashlib.sha256(b"").hexdigest()])
    scope = f"{day}/{region}/rds-db/aws4_request"
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256", params["X-Amz-Date"], scope,
        hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    key = hmac_sha256(("AWS4" + secret).encode("utf-8"), day)
    for part in (region, "rds-db", "aws4_request"):
        key = hmac_sha256(key, part)
    expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, params.get("X-Amz-Signature", "")):
        return "signature does not match"
    return None


def main():
    keys_file, log_file = sys.argv[1], sys.argv[2]
    user = os.environ.get("PAM_USER", "")
    token = sys.stdin.buffer.read().split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    try:
        with open(keys_file, encoding="utf-8") as f:
            keys = json.load(f)
        reason = check(token, user, keys, datetime.datetime.now(datetime.timezone.utc))
    except Exception as error:  # a broken keys file refuses, and says why
        reason = f"cannot check: {type(error).__name__}"
    with open(log_file, "a", encoding="utf-8") as log:
        log.write(f"{datetime.datetime.now(datetime.timezone.utc).isoformat()} {user} "
                  f"{'accepted' if reason is None else 'refused: ' + reason}\n")
    return 0 if reason is None else 1


if __name__ == "__main__":
    sys.exit(main())
