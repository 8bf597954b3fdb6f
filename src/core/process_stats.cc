#include "core/process_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cv {
namespace {

// Whitespace-separated fields of `text`.
std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n')) ++at;
    const size_t start = at;
    while (at < text.size() && text[at] != ' ' && text[at] != '\t' && text[at] != '\n') ++at;
    if (at > start) fields.push_back(text.substr(start, at - start));
  }
  return fields;
}

template <class Number>
std::optional<Number> to_number(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::string> read_whole(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Entries of /proc/self/fd, without the one opendir itself holds.
std::optional<uint64_t> count_open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  uint64_t count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count > 0 ? count - 1 : 0;
}

}  // namespace

std::optional<ProcessStat> parse_process_stat(std::string_view text, long ticks_per_second,
                                              long page_size) {
  // The command name is "(...)" and may hold anything; the fields start after the last ')'.
  const size_t close = text.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0 || page_size <= 0) {
    return std::nullopt;
  }
  const auto fields = split_fields(text.substr(close + 1));
  // fields[0] is field 3 of proc(5) (state); field N is fields[N - 3].
  auto field = [&](size_t n) { return fields[n - 3]; };
  if (fields.size() < 24 - 2) return std::nullopt;
  const auto utime = to_number<uint64_t>(field(14));
  const auto stime = to_number<uint64_t>(field(15));
  const auto threads = to_number<int64_t>(field(20));
  const auto start = to_number<uint64_t>(field(22));
  const auto vsize = to_number<uint64_t>(field(23));
  const auto rss = to_number<int64_t>(field(24));
  if (!utime || !stime || !threads || !start || !vsize || !rss) return std::nullopt;
  const double ticks = static_cast<double>(ticks_per_second);
  ProcessStat stat;
  stat.cpu_seconds = static_cast<double>(*utime + *stime) / ticks;
  stat.virtual_bytes = *vsize;
  stat.resident_bytes =
      *rss > 0 ? static_cast<uint64_t>(*rss) * static_cast<uint64_t>(page_size) : 0;
  stat.threads = *threads;
  stat.started_after_boot = static_cast<double>(*start) / ticks;
  return stat;
}

std::optional<HostCpu> parse_host_cpu(std::string_view text, long ticks_per_second) {
  if (ticks_per_second <= 0) return std::nullopt;
  std::optional<HostCpu> found;
  std::optional<int64_t> boot_time;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    const auto fields = split_fields(line);
    if (fields.empty()) continue;
    if (fields[0] == "cpu") {
      // cpu user nice system idle iowait irq softirq steal [guest guest_nice]
      if (fields.size() < 9) return std::nullopt;
      uint64_t values[8];
      for (size_t i = 0; i < 8; ++i) {
        const auto value = to_number<uint64_t>(fields[i + 1]);
        if (!value) return std::nullopt;
        values[i] = *value;
      }
      const double ticks = static_cast<double>(ticks_per_second);
      HostCpu cpu;
      cpu.busy_seconds = static_cast<double>(values[0] + values[1] + values[2] + values[5] +
                                             values[6] + values[7]) /
                         ticks;
      cpu.idle_seconds = static_cast<double>(values[3] + values[4]) / ticks;
      found = cpu;
    } else if (fields[0] == "btime" && fields.size() >= 2) {
      boot_time = to_number<int64_t>(fields[1]);
    }
  }
  if (!found || !boot_time) return std::nullopt;
  found->boot_time = *boot_time;
  return found;
}

std::optional<ProcessSnapshot> read_process_snapshot() {
  const long ticks = ::sysconf(_SC_CLK_TCK);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  const auto stat_text = read_whole("/proc/self/stat");
  const auto host_text = read_whole("/proc/stat");
  if (!stat_text || !host_text) return std::nullopt;
  const auto stat = parse_process_stat(*stat_text, ticks, page_size);
  const auto host = parse_host_cpu(*host_text, ticks);
  const auto open_fds = count_open_fds();
  if (!stat || !host || !open_fds) return std::nullopt;
  ProcessSnapshot snapshot;
  snapshot.stat = *stat;
  snapshot.host = *host;
  snapshot.start_time_seconds = static_cast<double>(host->boot_time) + stat->started_after_boot;
  snapshot.open_fds = *open_fds;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    snapshot.max_fds = limit.rlim_cur == RLIM_INFINITY ? 0 : static_cast<uint64_t>(limit.rlim_cur);
  }
  return snapshot;
}

}  // namespace cv
