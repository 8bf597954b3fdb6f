// cv_bench: a load generator for CloudVault (and, unsigned, for any web server as a ceiling).
// Prints one JSON line per run on stdout; diagnostics go to stderr. Exit status 1 when the
// run had errors, 2 on bad arguments or a failed setup.
//
//   cv_bench put --endpoint 127.0.0.1:9000 --bucket b --size 4096 --connections 32
//       --duration 10 --access-key AK --secret-key SK
//   cv_bench get --no-sign --endpoint 127.0.0.1:8080 --path /4k.bin
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include "bench_modes.h"

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  using cv::bench::BenchOptions;
  using cv::bench::BenchResult;
  const std::map<std::string, BenchResult (*)(const BenchOptions&)> modes = {
      {"put", cv::bench::run_put},
      {"get", cv::bench::run_get},
      {"put-large", cv::bench::run_put_large},
      {"get-large", cv::bench::run_get_large},
      {"list", cv::bench::run_list},
      {"create-bucket", cv::bench::run_create_bucket},
      {"notify-burst", cv::bench::run_notify_burst},
      {"notify-latency", cv::bench::run_notify_latency},
      {"copy-objects", cv::bench::run_copy_objects},
      {"replicate-objects", cv::bench::run_replicate_objects},
  };

  CLI::App app{"CloudVault load generator"};
  std::string mode;
  std::string endpoint;
  std::string access_key = env_or("CLOUDVAULT_ROOT_ACCESS_KEY", "");
  std::string secret_key = env_or("CLOUDVAULT_ROOT_SECRET_KEY", "");
  std::string region = "us-east-1";
  bool no_sign = false;
  BenchOptions options;
  app.add_option("mode", mode,
                 "put | get | put-large | get-large | list | create-bucket | notify-burst | "
                 "notify-latency | copy-objects | replicate-objects")
      ->required()
      ->check(
          CLI::IsMember({"put", "get", "put-large", "get-large", "list", "create-bucket",
                         "notify-burst", "notify-latency", "copy-objects", "replicate-objects"}));
  app.add_option("--dest", options.dest_bucket, "copy-objects / replicate-objects: destination");
  app.add_option("--sink-port", options.sink_port, "notify-*: the webhook sink's port");
  app.add_option("--rate", options.put_rate, "notify-latency: PUTs per second")
      ->capture_default_str();
  app.add_option("--endpoint", endpoint, "host:port of the server")->required();
  app.add_option("--bucket", options.bucket, "bucket to use")->capture_default_str();
  app.add_option("--size", options.size, "object size, e.g. 4096, 4KiB, 1GiB")
      ->transform(CLI::AsSizeValue(true))
      ->capture_default_str();
  app.add_option("--connections", options.connections, "concurrent keep-alive connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--threads", options.threads, "client event-loop threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--duration", options.duration_seconds, "seconds per timed run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--keys", options.keys, "get: keys to cycle over; list: keys to list")
      ->capture_default_str();
  app.add_option("--count", options.count, "put: stop after this many objects (0: no limit)")
      ->capture_default_str();
  app.add_option("--prefix", options.prefix, "key prefix (default: a fresh random one)");
  bool no_prefill = false;
  app.add_flag("--no-prefill", no_prefill, "get/list: the keys <prefix>00000000... exist");
  app.add_option("--key", options.key, "put-large/get-large: the object key")
      ->capture_default_str();
  app.add_option("--path", options.path, "get/get-large: fetch this path instead of keys");
  app.add_flag("--no-sign", no_sign, "send unsigned requests (for nginx)");
  bool tls = false;
  app.add_flag("--tls", tls,
               "HTTPS to the endpoint for the timed load and prefill (certificate not verified); "
               "the blocking modes (put-large, get-large, list) refuse it");
  app.add_option("--access-key", access_key, "default: $CLOUDVAULT_ROOT_ACCESS_KEY");
  app.add_option("--secret-key", secret_key, "default: $CLOUDVAULT_ROOT_SECRET_KEY");
  app.add_option("--region", region)->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    options.endpoint = cv::bench::parse_endpoint(endpoint);
    options.endpoint.tls = tls;
    options.prefill = !no_prefill;
    if (!no_sign) {
      if (access_key.empty() || secret_key.empty()) {
        std::cerr << "cv_bench: --access-key and --secret-key are required unless --no-sign\n";
        return 2;
      }
      cv::auth::SigningCredentials credentials;
      credentials.access_key_id = access_key;
      credentials.secret_key = secret_key;
      credentials.region = region;
      options.credentials = credentials;
    }
    BenchResult result = modes.at(mode)(options);
    std::cout << cv::bench::to_json_line(result) << std::endl;
    if (result.errors > 0) {
      std::cerr << "cv_bench: " << result.errors << " errors, e.g. " << result.first_error << "\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cv_bench " << mode << ": " << e.what() << "\n";
    return 2;
  }
}
