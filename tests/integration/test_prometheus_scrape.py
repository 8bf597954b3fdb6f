"""A real Prometheus (Debian's `prometheus`) scrapes the server's /metrics every second and a
PromQL query over its HTTP API returns the request rate and the per-bucket usage (issue 15)."""

import json
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from cvharness import make_client
from test_notify_targets import free_port

PROMETHEUS = "/usr/bin/prometheus"


@pytest.fixture
def prometheus(tmp_path):
    """Starts Prometheus on a free loopback port; `start(target_port)` returns its base URL."""
    started = []

    def start(target_port):
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            "scrape_configs:\n  - job_name: cloudvault\n    metrics_path: /metrics\n"
            f"    static_configs:\n      - targets: ['127.0.0.1:{target_port}']\n")
        port = free_port()
        log = open(tmp_path / "prometheus.log", "wb")
        process = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        return f"http://127.0.0.1:{port}"

    yield start
    for process, log in started:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def query(base, promql):
    """The instant vector of `promql` ([] while Prometheus is not up yet)."""
    url = f"{base}/api/v1/query?{urllib.parse.urlencode({'query': promql})}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            answer = json.loads(response.read())
    except OSError:
        return []
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


def test_prometheus_scrapes_the_request_rate_and_bucket_usage(server_factory, prometheus):
    instance = server_factory(name="scraped")
    s3 = make_client(instance.endpoint, instance.access_key, instance.secret_key)
    s3.create_bucket(Bucket="scraped")
    base = prometheus(instance.port)

    deadline = time.monotonic() + 60
    rate = []
    i = 0
    while not rate:
        assert time.monotonic() < deadline, "Prometheus never reported a request rate"
        # Keep requests coming so every 15 s window holds some.
        s3.put_object(Bucket="scraped", Key=f"k{i % 5}", Body=b"0123456789")
        i += 1
        rate = [r for r in query(base, "sum(rate(cloudvault_requests_total[15s]))")
                if float(r["value"][1]) > 0]
        time.sleep(0.2)  # pacing the load, not synchronisation: the loop polls a condition

    for k in range(5):  # whatever the loop wrote: five keys now
        s3.put_object(Bucket="scraped", Key=f"k{k}", Body=b"0123456789")
    # The target is up and the per-bucket usage arrived with its labels.
    [up] = query(base, 'up{job="cloudvault"}')
    assert up["value"][1] == "1"
    objects = []
    while not objects:
        assert time.monotonic() < deadline + 30, "Prometheus never saw the bucket's objects"
        objects = [r for r in query(base, 'cloudvault_bucket_objects{bucket="scraped"}')
                   if r["value"][1] == "5"]
        time.sleep(0.2)
    assert objects[0]["metric"]["storage_class"] == "STANDARD"
