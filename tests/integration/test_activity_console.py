"""The console's activity routes (docs/API.md) against the real server, every answer checked
against docs/openapi.yaml: a known trail (tests/fixtures/cloudtrail/recent_trail.py) ingested
with `cloudvault activity ingest`, a profile, then its year of days (one per date, levels from
the server agreeing with `activity days`), services, recent events paged, health, what another
user may see, and the public page: on, seen without a session with its proof verified, off."""

import datetime
import http.client
import json
import subprocess

import pytest

from cvharness import REPO_ROOT, server_binary
from openapi_check import OpenApi

RECENT_TRAIL = REPO_ROOT / "tests" / "fixtures" / "cloudtrail" / "recent_trail.py"
API = OpenApi()


class Console:
    """One signed-in console session (or none), checking every answer against the OpenAPI file."""

    def __init__(self, server, access_key=None, secret=None):
        self.server = server
        self.cookie = None
        self.csrf = None
        if access_key:
            status, body = self.call("POST", "session",
                                     {"accessKeyId": access_key, "secretAccessKey": secret},
                                     check=False)
            assert status == 201, body

    def call(self, method, route, body=None, check=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.server.port}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method not in ("GET", "HEAD"):
            headers["X-CSRF-Token"] = self.csrf
        connection.request(method, "/_console/api/" + route, headers=headers,
                           body=None if body is None else json.dumps(body))
        response = connection.getresponse()
        text = response.read()
        if route == "session" and method == "POST" and response.status == 201:
            self.cookie = response.getheader("Set-Cookie").split(";")[0]
            self.csrf = json.loads(text)["csrfToken"]
        connection.close()
        parsed = json.loads(text) if text else None
        if check:
            API.check(method, route, response.status, parsed)
        return response.status, parsed


def cli(server, *args):
    result = subprocess.run([server_binary(), *args, "--data", str(server.data_dir)],
                            capture_output=True, text=True, timeout=120, env=server.env())
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def activity_server(fresh_server, tmp_path):
    subprocess.run(["/usr/bin/python3", str(RECENT_TRAIL), str(tmp_path / "trail")], check=True,
                   capture_output=True)
    cli(fresh_server, "activity", "ingest", "--from", str(tmp_path / "trail"))
    cli(fresh_server, "activity", "profile", "add", "alice", "--principal", "alice")
    return fresh_server


def year():
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return (today - datetime.timedelta(days=364)).isoformat(), today.isoformat()


def test_a_profiles_year_services_recent_events_and_health(activity_server):
    root = Console(activity_server, activity_server.access_key, activity_server.secret_key)
    status, listed = root.call("GET", "activity/profiles")
    assert status == 200
    assert listed["profiles"] == [{"name": "alice", "principals": ["alice"], "publicToken": None}]

    start, end = year()
    status, summary = root.call("GET", f"activity/profiles/alice/days?from={start}&to={end}")
    assert status == 200
    days = summary["days"]
    assert len(days) == 365 and days[0]["date"] == start and days[-1]["date"] == end
    active = [d for d in days if d["count"] > 0]
    today = datetime.date.fromisoformat(end)
    assert [d["date"] for d in active] == [
        (today - datetime.timedelta(days=n)).isoformat() for n in (200, 30, 7, 3, 1, 0)]
    assert [d["count"] for d in active] == [1, 2, 1, 2, 1, 3]
    assert summary["totals"]["events"] == 10
    assert all(d["level"] == 0 for d in days if d["score"] == 0)
    scoring = sorted((d for d in days if d["score"] > 0), key=lambda d: d["score"])
    assert scoring and scoring[-1]["level"] == 4 and scoring[0]["level"] >= 1
    assert all(a["level"] <= b["level"] for a, b in zip(scoring, scoring[1:]))
    assert summary["streaks"] == {"current": 2, "longest": 2}
    assert summary["totals"]["activeDays"] == len(scoring)
    # The same numbers as `cloudvault activity days`.
    printed = json.loads(cli(activity_server, "activity", "days", "--profile", "alice",
                             "--from", start, "--to", end, "--json"))
    assert [(d["date"], d["score"], d["level"]) for d in printed["days"]] == [
        (d["date"], d["score"], d["level"]) for d in days]
    today_services = {s["service"] for s in days[-1]["services"]}
    assert {"ec2", "s3"} <= today_services or {"vpc", "s3"} <= today_services

    status, services = root.call("GET", f"activity/profiles/alice/services?from={start}&to={end}")
    assert status == 200
    assert sum(s["count"] for s in services["services"]) == 10
    assert services["services"] == summary["services"]
    scores = [s["score"] for s in services["services"]]
    assert scores == sorted(scores, reverse=True)

    status, page = root.call("GET", "activity/profiles/alice/recent?limit=4")
    assert status == 200 and len(page["events"]) == 4 and page["next"]
    times = [e["time"] for e in page["events"]]
    assert times == sorted(times, reverse=True)
    assert {e["eventName"] for e in page["events"]} >= {"RunInstances", "CreateBucket"}
    seen = [e["eventId"] for e in page["events"]]
    while page["next"]:
        status, page = root.call("GET", f"activity/profiles/alice/recent?limit=4&next={page['next']}")
        seen += [e["eventId"] for e in page["events"]]
    assert len(seen) == len(set(seen)) == 9  # the 200-day-old call is past "recent"

    status, health = root.call("GET", "activity/health")
    assert status == 200 and health["events"] == 10 and health["profiles"] == 1
    assert health["sources"][0]["files"] == 1

    status, error = root.call("GET", "activity/profiles/alice/days?from=2026-01-01&to=2024-01-01")
    assert status == 400
    status, error = root.call("GET", "activity/profiles/nobody/days?from={}&to={}".format(*year()))
    assert status == 404 and error["error"]["code"] == "NoSuchProfile"


def test_other_users_see_only_profiles_naming_them(activity_server):
    activity_server.admin("user", "add", "bob")
    bob_key = json.loads(activity_server.admin("key", "create", "bob").stdout)
    bob = Console(activity_server, bob_key["access_key_id"], bob_key["secret_key"])
    assert bob.call("GET", "activity/profiles")[1] == {"profiles": []}
    start, end = year()
    assert bob.call("GET", f"activity/profiles/alice/days?from={start}&to={end}")[0] == 404
    cli(activity_server, "activity", "profile", "add", "bob-work", "--principal", "bob")
    names = [p["name"] for p in bob.call("GET", "activity/profiles")[1]["profiles"]]
    assert names == ["bob-work"]
    assert bob.call("PUT", "activity/profiles/bob-work/public")[0] == 403
    assert Console(activity_server).call("GET", "activity/profiles", check=False)[0] == 401


def test_the_public_page_opens_without_a_session_verifies_and_can_be_turned_off(activity_server):
    root = Console(activity_server, activity_server.access_key, activity_server.secret_key)
    status, published = root.call("PUT", "activity/profiles/alice/public")
    assert status == 200
    token = published["token"]
    assert root.call("GET", "activity/profiles")[1]["profiles"][0]["publicToken"] == token

    anonymous = Console(activity_server)
    status, page = anonymous.call("GET", f"public/activity/{token}")
    assert status == 200
    assert page["profile"] == "alice" and len(page["days"]) == 365
    assert page["proof"]["verified"] is True
    assert page["proof"]["events"] == 10  # every call of the data set scores (rules.json)
    key = subprocess.run([server_binary(), "trail", "key", "--data", str(activity_server.data_dir)],
                         capture_output=True, text=True, env=activity_server.env()).stdout
    assert page["proof"]["keyFingerprint"] in key
    assert anonymous.call("GET", "public/activity/not-a-token")[0] == 404

    assert root.call("DELETE", "activity/profiles/alice/public")[0] == 200
    status, gone = anonymous.call("GET", f"public/activity/{token}")
    assert status == 404 and gone["error"]["code"] == "NoSuchProfile"
