"""The activity pipeline (issue 13) through the real binary: `cloudvault activity ingest` of
the CloudTrail samples in tests/fixtures/cloudtrail/trail (a folder, and a bucket of a running
server), profiles, exact `days --json` values (caps, collapsed bursts, levels), ingest twice
as a no-op, malformed and truncated files reported but not fatal, and rescore after a change
of the rules file. The expected numbers follow from make_fixtures.py and
share/activity/rules.json (see the comments there)."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from cvharness import REPO_ROOT, make_client, server_binary

TRAIL = REPO_ROOT / "tests" / "fixtures" / "cloudtrail" / "trail"
RULES = REPO_ROOT / "share" / "activity" / "rules.json"


def activity(data_dir, *args, config=None, env=None, check=True):
    cmd = [server_binary(), "activity", *args, "--data", str(data_dir)]
    if config:
        cmd += ["--config", str(config)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def report_of(stdout):
    """The counters of an ingest report."""
    files = re.search(r"^files: (\d+) read, (\d+) skipped$", stdout, re.M)
    records = re.search(r"^records: (\d+) new, (\d+) duplicate$", stdout, re.M)
    malformed = re.search(r"^malformed: (\d+) files, (\d+) records$", stdout, re.M)
    assert files and records and malformed, stdout
    return {"read": int(files[1]), "skipped": int(files[2]), "new": int(records[1]),
            "duplicate": int(records[2]), "bad_files": int(malformed[1]),
            "bad_records": int(malformed[2])}


def days(data_dir, profile, start, end, config=None):
    out = activity(data_dir, "days", "--profile", profile, "--from", start, "--to", end, "--json",
                   config=config).stdout
    document = json.loads(out)
    assert document["profile"] == profile
    return document["days"]


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def test_ingest_reports_counts_and_malformed_input_without_failing(data_dir):
    result = activity(data_dir, "ingest", "--from", str(TRAIL))
    assert report_of(result.stdout) == {"read": 6, "skipped": 0, "new": 50, "duplicate": 1,
                                        "bad_files": 2, "bad_records": 1}
    assert ("malformed: AWSLogs/111122223333/CloudTrail/us-east-1/2024/10/05/"
            "111122223333_CloudTrail_us-east-1_20241005T0900Z_e5f6a7b8.json: record 3: "
            "record without eventTime") in result.stdout
    assert re.search(r"^malformed: broken/bad\.json: invalid JSON at byte \d+", result.stdout,
                     re.M)
    assert "malformed: broken/truncated.json.gz: truncated gzip data" in result.stdout


def test_ingest_twice_is_a_no_op(data_dir):
    activity(data_dir, "ingest", "--from", str(TRAIL))
    activity(data_dir, "profile", "add", "alice", "--principal", "AKIAALICEEXAMPLE")
    before = days(data_dir, "alice", "2024-10-01", "2024-10-10")
    again = report_of(activity(data_dir, "ingest", "--from", str(TRAIL)).stdout)
    # Complete files are skipped by their checkpoint; the two broken ones are read again and
    # the records before their break are duplicates.
    assert again == {"read": 2, "skipped": 4, "new": 0, "duplicate": 2, "bad_files": 2,
                     "bad_records": 0}
    assert days(data_dir, "alice", "2024-10-01", "2024-10-10") == before


def test_days_json_values_caps_collapsing_and_levels(data_dir):
    activity(data_dir, "ingest", "--from", str(TRAIL))
    activity(data_dir, "profile", "add", "alice", "--principal", "AKIAALICEEXAMPLE")
    got = days(data_dir, "alice", "2024-10-03", "2024-10-10")
    assert [d["date"] for d in got] == [f"2024-10-{n:02}" for n in range(3, 11)]
    assert [d["score"] for d in got] == [0, 16.45, 11, 100, 9, 4, 4, 0]
    assert [d["level"] for d in got] == [0, 3, 3, 4, 2, 1, 1, 0]
    assert [d["events"] for d in got] == [0, 8, 2, 35, 2, 1, 1, 0]
    # 10-04: RunInstances 5 + DescribeInstances 0.2; CreateVpc is VPC; CreateBucket 4 and three
    # PutObject in one minute counted once (1); CreateRole failed: 5 x 0.25 (not in the top 3).
    assert got[1]["top_services"] == [{"service": "ec2", "score": 5.2},
                                      {"service": "s3", "score": 5},
                                      {"service": "vpc", "score": 5}]
    # 10-06: EC2 100, RDS 60, EKS 40 each capped at 40 per service; 120 capped at 100 a day.
    assert got[3]["top_services"] == [{"service": "ec2", "score": 40},
                                      {"service": "eks", "score": 40},
                                      {"service": "rds", "score": 40}]
    # The account gathers bob's assumed-role session (Lambda 5) too; a role ARN only bob's.
    activity(data_dir, "profile", "add", "team", "--principal", "111122223333")
    activity(data_dir, "profile", "add", "admins", "--principal",
             "arn:aws:iam::111122223333:role/Admin")
    assert days(data_dir, "team", "2024-10-04", "2024-10-04")[0]["score"] == 21.45
    assert days(data_dir, "admins", "2024-10-04", "2024-10-04")[0]["top_services"] == [
        {"service": "lambda", "score": 5}]


def test_rescore_applies_a_changed_rules_file(data_dir, tmp_path):
    activity(data_dir, "ingest", "--from", str(TRAIL))
    activity(data_dir, "profile", "add", "alice", "--principal", "alice")
    assert days(data_dir, "alice", "2024-10-06", "2024-10-06")[0]["score"] == 100
    rules = json.loads(RULES.read_text())
    rules["services"]["ec2"]["events"]["RunInstances"] = 1
    rules["service_daily_cap"] = 1000
    rules["daily_cap"] = 1000
    rules["collapse_window_seconds"] = 3600  # the 20 RunInstances of one hour: one burst
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps(rules))
    config = tmp_path / "cloudvault.toml"
    config.write_text(f'[activity]\nrules = "{rules_file}"\n')
    result = activity(data_dir, "rescore", config=config)
    assert result.stdout.strip() == "rescored 50 events"
    day = days(data_dir, "alice", "2024-10-06", "2024-10-06", config=config)[0]
    # EC2: one burst worth 1; RDS: 10 CreateDBInstance in one hour, one burst of 6; EKS 8.
    assert day["top_services"] == [{"service": "eks", "score": 8}, {"service": "rds", "score": 6},
                                   {"service": "ec2", "score": 1}]
    assert day["score"] == 15
    assert day["events"] == 35


def test_profiles_are_listed_and_removed(data_dir):
    activity(data_dir, "profile", "add", "alice", "--principal", "alice", "--principal",
             "AKIAALICEEXAMPLE")
    activity(data_dir, "profile", "add", "bob", "--principal", "ASIABOBEXAMPLE")
    listed = activity(data_dir, "profile", "list").stdout.splitlines()
    assert listed == ["alice: AKIAALICEEXAMPLE, alice", "bob: ASIABOBEXAMPLE"]
    activity(data_dir, "profile", "remove", "alice")
    assert activity(data_dir, "profile", "list").stdout.splitlines() == ["bob: ASIABOBEXAMPLE"]
    missing = activity(data_dir, "days", "--profile", "alice", "--from", "2024-10-01", "--to",
                       "2024-10-02", check=False)
    assert missing.returncode == 1
    assert "no profile named alice" in missing.stderr


def test_a_source_that_cannot_be_read_fails(data_dir, tmp_path):
    result = activity(data_dir, "ingest", "--from", str(tmp_path / "absent"), check=False)
    assert result.returncode == 1
    assert "is not a readable folder" in result.stderr
    bad_rules = tmp_path / "rules.json"
    bad_rules.write_text('{"collapse_window_seconds": 7}')
    config = tmp_path / "bad.toml"
    config.write_text(f'[activity]\nrules = "{bad_rules}"\n')
    refused = activity(data_dir, "ingest", "--from", str(TRAIL), config=config, check=False)
    assert refused.returncode == 1
    assert "collapse_window_seconds" in refused.stderr


def test_ingest_from_a_bucket_of_this_server(fresh_server):
    s3 = make_client(fresh_server.endpoint, fresh_server.access_key, fresh_server.secret_key)
    s3.create_bucket(Bucket="trail")
    files = sorted(p for p in TRAIL.rglob("*") if p.is_file())
    for path in files:
        s3.put_object(Bucket="trail", Key="logs/" + str(path.relative_to(TRAIL)),
                      Body=path.read_bytes())
    s3.put_object(Bucket="trail", Key="logs/readme.txt", Body=b"not a trail file")
    s3.put_object(Bucket="trail", Key="other/x.json", Body=b"{}")
    env = fresh_server.env()
    result = activity(fresh_server.data_dir, "ingest", "--from", "s3://trail/logs/", env=env)
    assert report_of(result.stdout) == {"read": 6, "skipped": 0, "new": 50, "duplicate": 1,
                                        "bad_files": 2, "bad_records": 1}
    again = activity(fresh_server.data_dir, "ingest", "--from", "s3://trail/logs/", env=env)
    assert report_of(again.stdout)["skipped"] == 4
    activity(fresh_server.data_dir, "profile", "add", "alice", "--principal", "alice", env=env)
    got = days(fresh_server.data_dir, "alice", "2024-10-04", "2024-10-06")
    assert [d["score"] for d in got] == [16.45, 11, 100]
    missing = activity(fresh_server.data_dir, "ingest", "--from", "s3://no-such-bucket/", env=env,
                       check=False)
    assert missing.returncode == 1


def test_server_accepts_the_activity_configuration(server_factory, tmp_path):
    # The scheduled ingest itself is driven by run_once in unit tests (scheduled_ingest_test);
    # here the server starts with its configuration and refuses a bad one.
    config = tmp_path / "activity.toml"
    config.write_text(f'[activity]\nsources = ["{TRAIL}", "s3://trail-bucket/AWSLogs/"]\n'
                      f'ingest_interval_seconds = 60\nrules = "{RULES}"\n')
    running = server_factory(extra_args=["--config", str(config)], name="scheduled")
    assert running.running()
    bad = tmp_path / "bad.toml"
    bad.write_text("[activity]\ningest_interval_seconds = 5\n")
    result = subprocess.run([server_binary(), "server", "--config", str(bad), "--data",
                             str(tmp_path / "d")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "activity.ingest_interval_seconds must be 60-604800" in result.stderr


def upload_trail(client, bucket, prefix):
    client.create_bucket(Bucket=bucket)
    for path in sorted(p for p in TRAIL.rglob("*") if p.is_file()):
        client.put_object(Bucket=bucket, Key=prefix + str(path.relative_to(TRAIL)),
                          Body=path.read_bytes())


def test_ingest_from_a_bucket_of_a_remote_endpoint(server_factory, tmp_path):
    # A second `cloudvault server` plays the remote (AWS S3 in production): ListObjectsV2
    # pages, ranged GETs; a large file crosses many ranges.
    far = server_factory(name="far")
    client = make_client(far.endpoint, far.access_key, far.secret_key)
    upload_trail(client, "far-trail", "AWSLogs/")
    big = tmp_path / "big"
    subprocess.run(["/usr/bin/python3", str(TRAIL.parent / "generate_trail.py"), str(big),
                    "--records", "6000", "--per-file", "6000", "--plain"], check=True,
                   capture_output=True)
    [big_file] = [p for p in big.rglob("*.json")]
    assert big_file.stat().st_size > 3 * 1024 * 1024  # more than three 1 MiB ranges
    client.put_object(Bucket="far-trail", Key="AWSLogs/big/" + big_file.name,
                      Body=big_file.read_bytes())
    for i in range(1005):  # more than one ListObjectsV2 page
        client.put_object(Bucket="far-trail", Key=f"AWSLogs/zz/empty-{i:04}.json",
                          Body=b'{"Records": []}')
    config = tmp_path / "remote.toml"
    config.write_text(
        f'[replication.remotes.far]\nendpoint = "{far.endpoint}"\nregion = "us-east-1"\n'
        f'access_key = "{far.access_key}"\nsecret_key = "{far.secret_key}"\n')
    data_dir = tmp_path / "local"
    result = activity(data_dir, "ingest", "--from", "s3://far-trail/AWSLogs/", "--remote", "far",
                      config=config)
    assert report_of(result.stdout) == {"read": 1012, "skipped": 0, "new": 6050,
                                        "duplicate": 1, "bad_files": 2, "bad_records": 1}
    again = activity(data_dir, "ingest", "--from", "s3://far-trail/AWSLogs/", "--remote", "far",
                     config=config)
    assert report_of(again.stdout)["skipped"] == 1010
    activity(data_dir, "profile", "add", "alice", "--principal", "AKIAALICEEXAMPLE")
    assert [d["score"] for d in days(data_dir, "alice", "2024-10-04", "2024-10-06")] == [
        16.45, 11, 100]
    unknown = activity(data_dir, "ingest", "--from", "s3://far-trail/", "--remote", "near",
                       config=config, check=False)
    assert unknown.returncode == 1
    assert "no [replication.remotes.near]" in unknown.stderr
    denied = tmp_path / "denied.toml"
    denied.write_text(
        f'[replication.remotes.far]\nendpoint = "{far.endpoint}"\nregion = "us-east-1"\n'
        f'access_key = "{far.access_key}"\nsecret_key = "wrong-secret"\n')
    refused = activity(data_dir, "ingest", "--from", "s3://far-trail/", "--remote", "far",
                       config=denied, check=False)
    assert refused.returncode == 1
    assert "SignatureDoesNotMatch" in refused.stderr or "signature" in refused.stderr.lower()


def test_role_arn_goes_through_sts_assume_role(server_factory, tmp_path):
    # This server has no STS yet (a later issue): AssumeRole, signed for "sts" and posted to
    # the remote's endpoint, is refused, and the ingest says so instead of reading anything.
    # The signing itself is checked against AWS's documented example (sts_client_test).
    far = server_factory(name="far-sts")
    config = tmp_path / "remote.toml"
    config.write_text(
        f'[replication.remotes.far]\nendpoint = "{far.endpoint}"\nregion = "us-east-1"\n'
        f'access_key = "{far.access_key}"\nsecret_key = "{far.secret_key}"\n')
    result = activity(tmp_path / "local", "ingest", "--from", "s3://trail/", "--remote", "far",
                      "--role-arn", "arn:aws:iam::111122223333:role/TrailReader", config=config,
                      check=False)
    assert result.returncode == 1
    assert "STS AssumeRole failed" in result.stderr, result.stderr
    no_remote = activity(tmp_path / "local", "ingest", "--from", "s3://trail/", "--role-arn",
                         "arn:aws:iam::111122223333:role/TrailReader", check=False)
    assert no_remote.returncode == 1
    assert "--role-arn needs --remote NAME" in no_remote.stderr


def test_attest_and_verify_a_proof_offline(data_dir, tmp_path):
    activity(data_dir, "ingest", "--from", str(TRAIL))
    activity(data_dir, "profile", "add", "alice", "--principal", "AKIAALICEEXAMPLE")
    out = activity(data_dir, "attest", "--profile", "alice", "--from", "2024-10-04", "--to",
                   "2024-10-09").stdout
    proof = json.loads(out)
    assert proof["format"] == "cloudvault-activity-attestation/1"
    assert [d["score"] for d in proof["days"]] == [16.45, 11, 100, 9, 4, 4]
    assert [d["level"] for d in proof["days"]] == [3, 3, 4, 2, 1, 1]
    ids = [leaf["event_id"] for leaf in proof["leaves"]]
    assert len(ids) == 49 and ids[0] == "ev-0401" and "ev-0409" not in ids  # bob's is not alice's
    proof_file = tmp_path / "proof.json"
    proof_file.write_text(out)
    # The server's public key, as a verifier gets it (PEM from the data folder's key).
    public_key = tmp_path / "server.pub"
    subprocess.run(["openssl", "pkey", "-in", str(data_dir / "signing.key"), "-pubout", "-out",
                    str(public_key)], check=True)
    verify = activity(data_dir, "verify", str(proof_file), "--key", str(public_key),
                      "--prove", "ev-0404")
    assert verify.stdout.startswith(
        f"valid: profile alice, 2024-10-04 to 2024-10-09, 49 events, merkle root "
        f"{proof['merkle_root']}, key {proof['key_fingerprint']}\n")
    inclusion = json.loads(verify.stdout.splitlines()[1])
    assert inclusion["event_id"] == "ev-0404" and inclusion["size"] == 49
    assert inclusion["merkle_root"] == proof["merkle_root"] and len(inclusion["path"]) == 6

    def refused(document, key=public_key):
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps(document))
        result = activity(data_dir, "verify", str(forged), "--key", str(key), check=False)
        assert result.returncode == 1, result.stdout
        return result.stdout

    altered = json.loads(out)
    altered["days"][2]["score"] = 40
    assert "signature does not verify" in refused(altered)
    dropped = json.loads(out)
    del dropped["leaves"][5]
    assert "signature does not verify" in refused(dropped)
    # Re-signed by another key: valid only for whoever trusts that key, not the server's.
    other_key = tmp_path / "other.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(other_key)],
                   check=True)
    other_data = tmp_path / "other-data"
    other_data.mkdir()
    (other_data / "signing.key").write_bytes(other_key.read_bytes())
    activity(other_data, "ingest", "--from", str(TRAIL))
    activity(other_data, "profile", "add", "alice", "--principal", "AKIAALICEEXAMPLE")
    forged = json.loads(activity(other_data, "attest", "--profile", "alice", "--from",
                                 "2024-10-04", "--to", "2024-10-09").stdout)
    assert "signature does not verify" in refused(forged)
    missing = activity(data_dir, "verify", str(proof_file), "--prove", "no-such-event",
                       check=False)
    assert missing.returncode == 1 and "is not a leaf" in missing.stdout
