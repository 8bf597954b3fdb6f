#!/usr/bin/env bash
# Installs the Debian packages CloudVault needs to build, run, test and benchmark.
# Idempotent: does nothing when every package is already installed. clang-16 and
# libclang-rt-16-dev (libFuzzer, the sanitizers) are for the fuzz build (fuzz/README.md);
# openssl (the command) for the activity tests' public keys and the benchmark's openssl speed;
# postgresql (server and client) and libpqxx-dev for the PostgreSQL metadata store and its tests.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config clang-16 libclang-rt-16-dev
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev libssl-dev libpugixml-dev libsqlite3-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libcurl4-openssl-dev
  libzstd-dev zlib1g-dev libvips-dev prometheus-cpp-dev libpqxx-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-pytest python3-boto3 python3-aiosmtpd python3-jsonschema python3-yaml awscli rclone s3cmd curl sqlite3 prometheus
  nginx-light wrk procps chromium fonts-dejavu-core openssl
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The machine image may ship Node.js from elsewhere; only fall back to Debian's when absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
