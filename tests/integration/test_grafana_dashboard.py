"""The Grafana dashboard shipped in docs/grafana-dashboard.json (issue 15): a valid dashboard
JSON model for a `${DS_PROMETHEUS}` data source whose every PromQL expression parses
(`promtool check rules`) and names only metric families the server exports."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from botocore.exceptions import ClientError

from cvharness import make_client
from test_metrics import scrape
from test_notify_targets import WEBHOOK_SECRET

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"

HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def expressions(dashboard):
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def families_named(expr, exported):
    names = set()
    for name in re.findall(r"\b(cloudvault_[a-z0-9_]+)", expr):
        if name not in exported:
            for suffix in HISTOGRAM_SUFFIXES:
                if name.endswith(suffix) and name[: -len(suffix)] in exported:
                    name = name[: -len(suffix)]
        names.add(name)
    return names


def test_the_dashboard_is_a_grafana_model_for_a_prometheus_input():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["schemaVersion"] >= 36 and dashboard["title"] and dashboard["uid"]
    [source] = dashboard["__inputs"]
    assert source["name"] == "DS_PROMETHEUS" and source["pluginId"] == "prometheus"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    titles = " ".join(panel["title"] for panel in dashboard["panels"]).lower()
    for wanted in ("request rate", "5xx", "latency", "storage by bucket", "replication lag",
                   "replication backlog", "delivery failures", "disk free"):
        assert wanted in titles, wanted
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}", panel["title"]
        assert panel["targets"] and all(t["expr"] for t in panel["targets"]), panel["title"]
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24


def test_every_expression_parses_and_names_exported_families(server_factory, tmp_path):
    dashboard = json.loads(DASHBOARD.read_text())
    # The syntax: each expression as a recording rule, Grafana's variables given values.
    rules = [{"record": f"cloudvault:dashboard_{i}",
              "expr": expr.replace("$__rate_interval", "1m").replace("$job", ".*")}
             for i, (_, expr) in enumerate(expressions(dashboard))]
    rules_file = tmp_path / "dashboard-rules.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    checked = subprocess.run(["promtool", "check", "rules", str(rules_file)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # The names: every family a server with the audit trail on declares.
    # With the audit trail on and a notification target configured, every family is declared.
    config = tmp_path / "dashboard.toml"
    config.write_text('[trail]\nenabled = true\n\n[notify.targets.hook]\ntype = "webhook"\n'
                      f'url = "http://127.0.0.1:9/events"\nsecret = "{WEBHOOK_SECRET}"\n')
    instance = server_factory(name="dashboard", extra_args=["--config", str(config)])
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="dash")
    s3.put_object(Bucket="dash", Key="k", Body=b"v")
    forged = make_client(instance.endpoint, instance.access_key, "not-the-secret-key")
    with pytest.raises(ClientError):
        forged.list_buckets()  # an authentication failure, for its family
    text = scrape(instance)[2]
    exported = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    for title, expr in expressions(dashboard):
        unknown = families_named(expr, exported) - exported
        assert not unknown, f"panel {title!r} queries {unknown}, which the server does not export"
