// The standard Prometheus process metrics (process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_max_fds, process_start_time_seconds, process_threads) and the host's CPU time
// (cloudvault_host_cpu_seconds_total{mode="busy"|"idle"}; the "host CPU above 80%" alarm is
// rate(busy) / (rate(busy) + rate(idle))), read from /proc when collected
// (core/process_stats.h). prometheus-cpp has no process collector of its own.
//
// Thread-safe: Collect() reads /proc and keeps no state.
#pragma once

#include <prometheus/collectable.h>

#include <vector>

#include "core/process_stats.h"

namespace cv {

class ProcessCollector final : public prometheus::Collectable {
 public:
  // Nothing (no families) when /proc cannot be read.
  std::vector<prometheus::MetricFamily> Collect() const override;

  // The families for one snapshot (for tests).
  static std::vector<prometheus::MetricFamily> families(const ProcessSnapshot& snapshot);
};

}  // namespace cv
