#include "activity/trail_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace cv::activity {
namespace fs = std::filesystem;

namespace {

// A file read with read(2), closed on destruction.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(int fd) : fd_(fd) {}
  ~FileSource() override { ::close(fd_); }
  Result<size_t> read(std::span<char> out) override {
    while (true) {
      ssize_t n = ::read(fd_, out.data(), out.size());
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) {
        return fail(ErrorCode::kInternalError, std::string("read: ") + std::strerror(errno));
      }
    }
  }

 private:
  int fd_;
};

}  // namespace

bool is_trail_file_name(std::string_view name) {
  constexpr std::array<std::string_view, 5> kEndings = {".json", ".json.gz", ".jsonl", ".jsonl.gz",
                                                        ".ndjson"};
  return std::any_of(kEndings.begin(), kEndings.end(),
                     [&](std::string_view ending) { return name.ends_with(ending); });
}

FolderSource::FolderSource(fs::path root) : root_(std::move(root)) {}

std::string FolderSource::name() const { return fs::absolute(root_).lexically_normal().string(); }

Result<std::vector<SourceFile>> FolderSource::list() {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) {
    return fail(ErrorCode::kInvalidArgument, root_.string() + " is not a readable folder");
  }
  std::vector<SourceFile> files;
  fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied, ec);
  if (ec) return fail(ErrorCode::kInvalidArgument, root_.string() + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return fail(ErrorCode::kInvalidArgument, root_.string() + ": " + ec.message());
    if (!it->is_regular_file(ec) || !is_trail_file_name(it->path().filename().string())) continue;
    auto size = it->file_size(ec);
    auto mtime = it->last_write_time(ec);
    if (ec) continue;  // vanished while listing
    files.push_back(SourceFile{
        it->path().lexically_relative(root_).string(), static_cast<int64_t>(size),
        std::to_string(
            std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch())
                .count())});
  }
  std::sort(files.begin(), files.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  return files;
}

Result<std::unique_ptr<ByteSource>> FolderSource::open(const SourceFile& file) {
  fs::path full = root_ / file.path;
  int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(ErrorCode::kInvalidArgument, "cannot open: " + std::string(std::strerror(errno)));
  }
  return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fd));
}

}  // namespace cv::activity
