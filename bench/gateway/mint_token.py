#!/usr/bin/env python3
"""Mints an HS256 admin token for the benchmark (same claims as `stipctl token`): mint_token.py SECRET_FILE."""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


secret = open(sys.argv[1], "rb").read().strip()
now = int(time.time())
header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
claims = b64(json.dumps({"sub": "bench", "role": "admin", "iat": now, "exp": now + 4 * 3600}).encode())
signature = b64(hmac.new(secret, header + b"." + claims, hashlib.sha256).digest())
print((header + b"." + claims + b"." + signature).decode())
