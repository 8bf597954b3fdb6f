#include "core/process_collector.h"

#include "core/collected_family.h"

namespace cv {

using prometheus::MetricType;

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  const auto snapshot = read_process_snapshot();
  if (!snapshot) return {};
  return families(*snapshot);
}

std::vector<prometheus::MetricFamily> ProcessCollector::families(const ProcessSnapshot& snapshot) {
  std::vector<prometheus::MetricFamily> out;
  auto one = [&out](const char* name, const char* help, MetricType type, double value) {
    out.push_back(collected_family(name, help, type));
    add_sample(out.back(), value);
  };
  one("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
      MetricType::Counter, snapshot.stat.cpu_seconds);
  one("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
      static_cast<double>(snapshot.stat.resident_bytes));
  one("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
      static_cast<double>(snapshot.stat.virtual_bytes));
  one("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
      static_cast<double>(snapshot.open_fds));
  if (snapshot.max_fds > 0) {
    one("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
        static_cast<double>(snapshot.max_fds));
  }
  one("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
      MetricType::Gauge, snapshot.start_time_seconds);
  one("process_threads", "Number of OS threads in the process.", MetricType::Gauge,
      static_cast<double>(snapshot.stat.threads));
  out.push_back(collected_family("cloudvault_host_cpu_seconds_total",
                                 "CPU time of the whole host in seconds, busy (user, nice, "
                                 "system, irq, softirq, steal) or idle (idle, iowait)",
                                 MetricType::Counter));
  add_sample(out.back(), snapshot.host.busy_seconds, {{"mode", "busy"}});
  add_sample(out.back(), snapshot.host.idle_seconds, {{"mode", "idle"}});
  return out;
}

}  // namespace cv
