// The progress of a long admin job (issue 15, "Progress and health"): on a terminal, a bar
// redrawn in place with counts, rate and ETA; elsewhere (a pipe, a file, a test) only a final
// summary line. Both go to stderr, so the JSON a command prints on stdout stays parseable.
//
//   rotate-master [#############-----------]  512/1,024 secrets  50%  128/s  ETA 4s
//   rotate-master: 1,024 secrets in 8.0s (128/s)
//
// Thread-compatible: one job reports into one ProgressBar.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "core/progress.h"

namespace cv::app {

// "12,345".
std::string group_thousands(uint64_t value);
// A duration as people read it: "0.4s", "12s", "3m05s", "2h03m".
std::string format_duration(double seconds);
// A rate: "12/s", "1.5k/s", "2.3M/s"; "-" when nothing is known yet.
std::string format_rate(double per_second);

// One bar line (no line break) of `width` columns at most: label, bar (when total is known),
// counts, percentage, rate and ETA (when total is known), else counts, rate and elapsed time.
std::string render_progress_line(std::string_view label, std::string_view unit, uint64_t done,
                                 uint64_t total, double elapsed_seconds, size_t width = 80);
// The final line: "<label>: <done> <unit> in <elapsed> (<rate>)".
std::string render_progress_summary(std::string_view label, std::string_view unit, uint64_t done,
                                    double elapsed_seconds);

class ProgressBar {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;
  // `terminal`: draw the bar (else write only the summary); `now`: the clock (tests feed one).
  ProgressBar(std::string label, std::string unit, std::FILE* out, bool terminal, Now now = {});
  // A bar on stderr when it is a terminal, else the summary on stderr.
  static ProgressBar on_stderr(std::string label, std::string unit);

  // Records progress; on a terminal redraws the bar, at most every 100 ms.
  void update(uint64_t done, uint64_t total);
  // The callback a job reports into (valid while this ProgressBar lives).
  ProgressCallback callback();
  // Draws the last state (terminal), ends the bar's line and writes the summary. Once; the
  // destructor does not call it (a failed job prints its error instead).
  void finish();
  // Like finish(), with `summary` as the final line instead of the counts.
  void finish(std::string_view summary);
  // Seconds since this bar was made.
  double elapsed_seconds() const;

 private:
  void draw();

  std::string label_;
  std::string unit_;
  std::FILE* out_;
  bool terminal_;
  Now now_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
  uint64_t done_ = 0;
  uint64_t total_ = 0;
};

}  // namespace cv::app
