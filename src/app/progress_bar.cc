#include "app/progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace cv::app {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

double rate_of(uint64_t done, double elapsed_seconds) {
  return elapsed_seconds > 0 ? static_cast<double>(done) / elapsed_seconds : 0;
}

}  // namespace

std::string group_thousands(uint64_t value) {
  std::string digits = std::to_string(value);
  for (size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  if (seconds < 10) return fmt::format("{:.1f}s", seconds);
  const auto whole = static_cast<uint64_t>(std::llround(seconds));
  if (whole < 60) return fmt::format("{}s", whole);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
}

std::string format_rate(double per_second) {
  if (!(per_second > 0)) return "-";
  if (per_second < 10) return fmt::format("{:.1f}/s", per_second);
  if (per_second < 1000) return fmt::format("{:.0f}/s", per_second);
  if (per_second < 1e6) return fmt::format("{:.1f}k/s", per_second / 1e3);
  return fmt::format("{:.1f}M/s", per_second / 1e6);
}

std::string render_progress_line(std::string_view label, std::string_view unit, uint64_t done,
                                 uint64_t total, double elapsed_seconds, size_t width) {
  const double rate = rate_of(done, elapsed_seconds);
  if (total == 0) {
    std::string line = fmt::format("{} {} {}  {}  {}", label, group_thousands(done), unit,
                                   format_rate(rate), format_duration(elapsed_seconds));
    if (line.size() > width) line.resize(width);
    return line;
  }
  const uint64_t shown = std::min(done, total);
  const double fraction = static_cast<double>(shown) / static_cast<double>(total);
  std::string eta = "ETA -";
  if (shown == total) {
    eta = "done";
  } else if (rate > 0) {
    eta = "ETA " + format_duration(static_cast<double>(total - shown) / rate);
  }
  const std::string tail =
      fmt::format(" {}/{} {}  {:.0f}%  {}  {}", group_thousands(shown), group_thousands(total),
                  unit, std::floor(fraction * 100), format_rate(rate), eta);
  // The bar takes what the label and the tail leave, between 10 and 40 columns.
  const size_t fixed = label.size() + 3 + tail.size();
  const size_t bar = std::clamp<size_t>(width > fixed ? width - fixed : 0, 10, 40);
  const auto filled = static_cast<size_t>(std::floor(fraction * static_cast<double>(bar)));
  std::string line = fmt::format("{} [{}{}]{}", label, std::string(filled, '#'),
                                 std::string(bar - filled, '-'), tail);
  if (line.size() > width) line.resize(width);
  return line;
}

std::string render_progress_summary(std::string_view label, std::string_view unit, uint64_t done,
                                    double elapsed_seconds) {
  return fmt::format("{}: {} {} in {} ({})", label, group_thousands(done), unit,
                     format_duration(elapsed_seconds), format_rate(rate_of(done, elapsed_seconds)));
}

ProgressBar::ProgressBar(std::string label, std::string unit, std::FILE* out, bool terminal,
                         Now now)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      out_(out),
      terminal_(terminal),
      now_(now ? std::move(now) : Now([] { return std::chrono::steady_clock::now(); })),
      started_(now_()) {}

ProgressBar ProgressBar::on_stderr(std::string label, std::string unit) {
  return ProgressBar(std::move(label), std::move(unit), stderr, ::isatty(STDERR_FILENO) == 1);
}

void ProgressBar::update(uint64_t done, uint64_t total) {
  done_ = done;
  total_ = total;
  if (!terminal_) return;
  const auto now = now_();
  if (drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw();
}

ProgressCallback ProgressBar::callback() {
  return [this](uint64_t done, uint64_t total) { update(done, total); };
}

void ProgressBar::draw() {
  const double elapsed = elapsed_seconds();
  // \r and "erase to the end of the line": the bar is redrawn in place.
  std::fprintf(out_, "\r%s\x1b[K",
               render_progress_line(label_, unit_, done_, total_, elapsed).c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::finish() {
  finish(render_progress_summary(label_, unit_, done_, elapsed_seconds()));
}

void ProgressBar::finish(std::string_view summary) {
  if (terminal_) {
    draw();
    std::fputc('\n', out_);
  }
  std::fprintf(out_, "%.*s\n", static_cast<int>(summary.size()), summary.data());
  std::fflush(out_);
}

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(now_() - started_).count();
}

}  // namespace cv::app
