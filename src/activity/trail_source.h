// Where CloudTrail files come from: a folder here (FolderSource), or a bucket (the app layer
// implements TrailSource over the vault or a remote S3 client). A source lists its files
// (recursively, `.json`, `.json.gz`, `.jsonl`, `.jsonl.gz`) and opens one as a stream.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/error.h"

namespace cv::activity {

struct SourceFile {
  std::string path;  // relative to the source (a key for buckets)
  int64_t size = 0;
  std::string etag;  // changes when the content may have changed
};

class TrailSource {
 public:
  virtual ~TrailSource() = default;
  // The source as the user named it (checkpoints are kept under this name).
  virtual std::string name() const = 0;
  // Every trail file, ordered by path. An error means the source cannot be read at all.
  virtual Result<std::vector<SourceFile>> list() = 0;
  virtual Result<std::unique_ptr<ByteSource>> open(const SourceFile& file) = 0;
};

// Whether a file name is one a source lists.
bool is_trail_file_name(std::string_view name);

// The files under a folder, recursively; etag is the modification time in nanoseconds.
class FolderSource final : public TrailSource {
 public:
  explicit FolderSource(std::filesystem::path root);
  std::string name() const override;
  Result<std::vector<SourceFile>> list() override;
  Result<std::unique_ptr<ByteSource>> open(const SourceFile& file) override;

 private:
  std::filesystem::path root_;
};

}  // namespace cv::activity
