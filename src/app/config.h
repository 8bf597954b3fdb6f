// Settings of a CloudVault process: defaults, overridden by a TOML file, overridden by flags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.h"

namespace cv::app {

struct Config {
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 9000;
  std::filesystem::path data_dir = "./data";
  std::string region = "us-east-1";
  std::string domain;  // virtual-hosted-style base domain; empty: path style only
  size_t network_threads = 2;
  size_t worker_threads = 64;
  uint64_t inline_threshold = 128 * 1024;
  int64_t gc_interval_seconds = 30;
};

// Reads a TOML file ([server] listen, region, domain, network_threads, worker_threads;
// [storage] data, inline_threshold; [gc] interval_seconds) over the defaults.
// InvalidArgument with the file's own error message when it does not parse or a value is
// out of range.
Result<Config> load_config(const std::optional<std::filesystem::path>& file);

// Parses "ADDR:PORT" ("127.0.0.1:9000", "[::1]:9000", ":9000").
Status parse_listen(std::string_view text, Config& config);

}  // namespace cv::app
