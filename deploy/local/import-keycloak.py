#!/usr/bin/env python3
"""Imports a Keycloak realm export into the running suite (make import-keycloak; README "Coming from Keycloak").

Signs in at the gateway as an admin (cookies and the CSRF token, as the SPA does), sends the export's users in
batches that fit the API's limits (64 KB and 500 users per request) to POST /api/auth/admin/imports/keycloak, prints
what happened to each user, and signs out. Only the users of the export are sent; the rest (clients, roles, flows)
stays on this machine. The admin's password comes from SUITE_ADMIN_PASSWORD or is asked for; it is never printed.
Python 3 standard library only.
"""
import argparse
import getpass
import http.cookiejar
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

MAX_BYTES = 60_000  # under the gateway's and the auth service's 64 KB, with room for the envelope
MAX_USERS = 500


class Gateway:
    def __init__(self, base, ca_file):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                                  urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self):
        for cookie in self.jar:
            if cookie.name == "__Host-csrf":
                return cookie.value
        return None

    def send(self, method, path, body=None):
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if method != "GET" and self.csrf():
            request.add_header("X-CSRF-Token", self.csrf())
        try:
            with self.opener.open(request, timeout=120) as response:
                text = response.read().decode("utf-8")
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, {"detail": text.strip() or error.reason}


def batches(users, realm):
    batch = []
    size = len(json.dumps({"realm": realm, "users": []}))
    for user in users:
        user_size = len(json.dumps(user, separators=(",", ":"))) + 1
        if batch and (size + user_size > MAX_BYTES or len(batch) >= MAX_USERS):
            yield batch
            batch, size = [], len(json.dumps({"realm": realm, "users": []}))
        batch.append(user)
        size += user_size
    if batch:
        yield batch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", required=True, help="the realm export (kc.sh export --realm <name> --file <file>)")
    parser.add_argument("--admin", required=True, help="the email of an admin of the suite")
    parser.add_argument("--gateway", default="https://localhost:8443")
    parser.add_argument("--ca", help="the CA that vouches for the gateway (make run: .local/tls/ca.crt)")
    args = parser.parse_args()

    with open(args.file, encoding="utf-8") as f:
        export = json.load(f)
    users = export.get("users") or []
    realm = export.get("realm")
    print(f"[import-keycloak] {args.file}: realm {realm}, {len(users)} users")
    password = os.environ.get("SUITE_ADMIN_PASSWORD") or getpass.getpass(f"Password of {args.admin}: ")

    gateway = Gateway(args.gateway, args.ca)
    status, answer = gateway.send("GET", "/api/auth/csrf")
    if status != 200:
        sys.exit(f"[import-keycloak] the gateway answered {status} for a CSRF token: {answer}")
    status, answer = gateway.send("POST", "/api/auth/login", {"email": args.admin, "password": password})
    if status != 200:
        sys.exit(f"[import-keycloak] sign-in as {args.admin} failed ({status}): {answer.get('detail') if answer else ''}")

    totals = {"created": 0, "skipped": 0, "refused": 0}
    offset = 0
    failed = False
    try:
        for batch in batches(users, realm):
            status, report = gateway.send("POST", "/api/auth/admin/imports/keycloak", {"realm": realm, "users": batch})
            if status != 200:
                detail = report.get("detail") if isinstance(report, dict) else report
                print(f"[import-keycloak] users {offset}..{offset + len(batch) - 1} not imported ({status}): {detail}")
                failed = True
                offset += len(batch)
                continue
            for user in report["users"]:
                who = user.get("email") or user.get("username") or "?"
                reason = f"  ({user['reason']})" if user.get("reason") else ""
                print(f"  {offset + user['index']:6d}  {user['outcome']:8s} {who}{reason}")
            for key in totals:
                totals[key] += report[key]
            offset += len(batch)
    finally:
        gateway.send("POST", "/api/auth/logout")
    print(f"[import-keycloak] {totals['created']} created, {totals['skipped']} skipped (an account with the email exists), "
          f"{totals['refused']} refused")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
