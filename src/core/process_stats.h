// What the kernel says about this process and the host (Linux /proc), for the standard
// Prometheus process metrics and the host CPU counters (core/process_collector.h). The
// parsers are pure functions over the files' text so they can be tested alone; read_*()
// read the live files.
//
// Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cv {

// One line of /proc/<pid>/stat, decoded.
struct ProcessStat {
  double cpu_seconds = 0;         // user + system time
  uint64_t virtual_bytes = 0;     // vsize
  uint64_t resident_bytes = 0;    // rss pages * page size
  int64_t threads = 0;            // num_threads
  double started_after_boot = 0;  // starttime, seconds after the host booted
};

// Decodes /proc/<pid>/stat (fields after the parenthesised command name, which may itself
// contain spaces and parentheses). nullopt when the text is not such a line.
std::optional<ProcessStat> parse_process_stat(std::string_view text, long ticks_per_second,
                                              long page_size);

// The host's CPU time from /proc/stat's "cpu" line, and its boot time ("btime").
struct HostCpu {
  // user + nice + system + irq + softirq + steal (guest time is part of user already).
  double busy_seconds = 0;
  double idle_seconds = 0;  // idle + iowait
  int64_t boot_time = 0;    // seconds since the Unix epoch
};

// Decodes /proc/stat. nullopt when the "cpu" line or "btime" is missing or malformed.
std::optional<HostCpu> parse_host_cpu(std::string_view text, long ticks_per_second);

// Everything the process collector reports, read now.
struct ProcessSnapshot {
  ProcessStat stat;
  double start_time_seconds = 0;  // since the Unix epoch
  uint64_t open_fds = 0;
  uint64_t max_fds = 0;  // the soft RLIMIT_NOFILE
  HostCpu host;
};

// Reads /proc/self/stat, /proc/stat, /proc/self/fd and the file limit. nullopt when /proc is
// not there or unreadable (then no process metrics are reported).
std::optional<ProcessSnapshot> read_process_snapshot();

}  // namespace cv
