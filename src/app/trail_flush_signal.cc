#include "app/trail_flush_signal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "app/change_file.h"

namespace cv::app {
namespace {

std::string read_answer(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Status request_trail_flush(const std::filesystem::path& data_dir,
                           std::chrono::milliseconds deadline) {
  ChangeFile request(data_dir / std::string(kTrailFlushRequestFile));
  request.announce();
  const uint64_t id = request.generation();
  if (id == 0) {
    return fail(ErrorCode::kInternalError,
                "cannot write " + (data_dir / std::string(kTrailFlushRequestFile)).string());
  }
  const std::string prefix = fmt::format("{:016x} ", id);
  const auto until = std::chrono::steady_clock::now() + deadline;
  const auto answer_path = data_dir / std::string(kTrailFlushAnswerFile);
  while (std::chrono::steady_clock::now() < until) {
    const std::string answer = read_answer(answer_path);
    if (answer.starts_with(prefix)) {
      const std::string outcome = answer.substr(prefix.size());
      if (outcome.starts_with("ok")) return {};
      return fail(ErrorCode::kInternalError,
                  "the server could not flush the trail: " +
                      outcome.substr(std::min<size_t>(6, outcome.size())));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling another process
  }
  return fail(ErrorCode::kServiceUnavailable,
              "the running server did not answer the flush request in time");
}

TrailFlushRequests::TrailFlushRequests(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)) {
  answered_ = ChangeFile(data_dir_ / std::string(kTrailFlushRequestFile)).generation();
}

std::optional<uint64_t> TrailFlushRequests::pending() {
  const uint64_t id = ChangeFile(data_dir_ / std::string(kTrailFlushRequestFile)).generation();
  if (id == 0 || id == answered_) return std::nullopt;
  return id;
}

void TrailFlushRequests::answer(uint64_t request, const Status& outcome) {
  answered_ = request;
  const std::string text =
      fmt::format("{:016x} {}", request, outcome ? "ok" : "error " + outcome.error().message);
  const auto path = data_dir_ / std::string(kTrailFlushAnswerFile);
  const auto temp = path.string() + "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << text;
  }
  std::error_code ignored;
  std::filesystem::rename(temp, path, ignored);
}

}  // namespace cv::app
