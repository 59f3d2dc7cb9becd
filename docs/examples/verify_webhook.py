#!/usr/bin/env python3
"""Verifies a OneTimeShare webhook as the Standard Webhooks specification says (https://www.standardwebhooks.com/).

Usage: verify_webhook.py SECRET HEADERS_FILE BODY_FILE [NOW]
  SECRET        the signing secret, whsec_<base64> (from the create answer's "notifySecret", or the operator's)
  HEADERS_FILE  the request's headers, one "name: value" per line
  BODY_FILE     the request's body, byte for byte
  NOW           the time to check against, in Unix seconds (default: now)
Prints the event and exits 0 when the signature is valid and the timestamp within 5 minutes; exits 1 otherwise.
"""
import base64, hashlib, hmac, json, sys, time

secret, headers_file, body_file = sys.argv[1:4]
now = int(sys.argv[4]) if len(sys.argv) > 4 else int(time.time())
headers = {}
for line in open(headers_file, encoding="utf-8"):
    if ":" in line:
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
body = open(body_file, "rb").read()

msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
if abs(now - int(timestamp)) > 300:  # the replay window: an old (or future) request is refused
    sys.exit("timestamp outside the 5-minute window")
key = base64.b64decode(secret.removeprefix("whsec_"))
expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
if not any(hmac.compare_digest(expected, sig.split(",", 1)[1].encode())
           for sig in headers["webhook-signature"].split() if sig.startswith("v1,")):
    sys.exit("bad signature")
event = json.loads(body)
print(event["type"], event["data"]["id"])
