"""Schemathesis hooks for the suite (loaded through SCHEMATHESIS_HOOKS by OpenApiFuzzTest).

Credentials come from a fresh account per sign-in, made through the API the document describes, so no secret is
written anywhere: SUITE_FUZZ_TARGET says which door is fuzzed.

- auth-service, user-service: a bearer access token from the auth service's own POST /login.
- gateway: what the SPA holds: the __Host-access (or, for refresh, __Host-refresh) cookie of a signed-in session and
  the __Host-csrf cookie with its value in X-CSRF-Token; for register and login, a pre-login CSRF token.

A request the fuzzer sent may end the session (logout, logout-all, password change, account deletion): Schemathesis
then gets a 401 and asks get() again (retry_on=[401]), so the next case runs signed in.
"""
import os
import secrets

import requests
import schemathesis

TARGET = os.environ["SUITE_FUZZ_TARGET"]
AUTH_URL = os.environ["SUITE_FUZZ_AUTH_URL"]
GATEWAY_URL = os.environ["SUITE_FUZZ_GATEWAY_URL"]
CA = os.environ["SUITE_FUZZ_CA"]
# Long enough for the password rules (15+ characters), random so no breached list knows it, and nothing of the
# display name or email in it (the policy refuses those).
PASSWORD = "amber-" + secrets.token_urlsafe(18)


def _fresh_email():
    return f"fuzz-{secrets.token_hex(8)}@example.com"


def _expect(answer, status):
    # Schemathesis reports only that the fetch failed: say which step and what the suite answered.
    if answer.status_code != status:
        raise RuntimeError(f"{answer.request.method} {answer.url} -> {answer.status_code} {answer.text[:300]}")
    return answer


def _bearer():
    email = _fresh_email()
    account = {"email": email, "password": PASSWORD, "displayName": "Schemathesis"}
    _expect(requests.post(f"{AUTH_URL}/register", json=account, timeout=15, verify=CA), 202)
    login = _expect(requests.post(f"{AUTH_URL}/login", json={"email": email, "password": PASSWORD}, timeout=15, verify=CA), 200)
    return {"Authorization": "Bearer " + login.json()["accessToken"]}, {}


def _browser_session():
    """A pre-login CSRF token (what register and login take), then a signed-in browser's cookies and CSRF token."""
    browser = requests.Session()

    def unsafe(path, body, status):
        _expect(browser.post(f"{GATEWAY_URL}{path}", json=body, timeout=15, verify=CA,
                             headers={"X-CSRF-Token": browser.cookies.get("__Host-csrf")}), status)

    # verify= on each call: a Session's own verify loses to REQUESTS_CA_BUNDLE when that is set (a known requests quirk).
    pre_login = _expect(browser.get(f"{GATEWAY_URL}/api/auth/csrf", timeout=15, verify=CA), 200).json()["token"]
    email = _fresh_email()
    unsafe("/api/auth/register", {"email": email, "password": PASSWORD, "displayName": "Schemathesis"}, 202)
    unsafe("/api/auth/login", {"email": email, "password": PASSWORD}, 200)
    return {"pre_login": pre_login, "cookies": {cookie.name: cookie.value for cookie in browser.cookies}}


# The cookies each gateway operation's security requirement names (its document), and nothing else: Schemathesis
# proves auth is enforced by taking away exactly what the document names, and a cookie left over beside its bogus
# bearer token is a request with both, which the gateway refuses with 400 as RFC 6750 asks, not the 401 it expects.
PRE_LOGIN = {"/api/auth/register", "/api/auth/login"}
REFRESH = {"/api/auth/refresh"}


def _gateway_credentials(session, path):
    if path in PRE_LOGIN:
        return {"X-CSRF-Token": session["pre_login"]}, {"__Host-csrf": session["pre_login"]}
    cookies = session["cookies"]
    # Refresh: the access cookie too, as a browser sends it; the gateway binds the CSRF token to its session id.
    names = ("__Host-refresh", "__Host-access", "__Host-csrf") if path in REFRESH else ("__Host-access", "__Host-csrf")
    return {"X-CSRF-Token": cookies["__Host-csrf"]}, {name: cookies[name] for name in names}


@schemathesis.auth(retry_on=[401])
class SuiteSession:
    def get(self, case, context):
        return _browser_session() if TARGET == "gateway" else _bearer()

    def set(self, case, data, context):
        headers, cookies = _gateway_credentials(data, context.operation.path) if TARGET == "gateway" else data
        case.headers = {**(case.headers or {}), **headers}
        case.cookies = {**(case.cookies or {}), **cookies}
