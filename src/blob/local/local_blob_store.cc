// LocalBlobStore: the BlobStore contract over files (see local_blob_store.h for the layout).
#include "blob/local/local_blob_store.h"

#include "blob/local/blob_layout.h"
#include "blob/local/local_blob_reader.h"
#include "blob/local/local_blob_writer.h"
#include "blob/local/posix_io.h"

namespace cv::blob {
namespace {

Status check_id(std::string_view id) {
  if (BlobLayout::valid_id(id)) return {};
  return fail(ErrorCode::kInternalError, "malformed blob id '" + std::string(id) + "'");
}

bool is_hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// A fan-out folder name: two lowercase hex digits.
bool is_hex_pair(std::string_view name) {
  return name.size() == 2 && is_hex_digit(name[0]) && is_hex_digit(name[1]);
}

// Thread-safe: all state is in the file system and the thread-safe BlobLayout.
class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::shared_ptr<BlobLayout> layout) : layout_(std::move(layout)) {}

  Result<std::unique_ptr<BlobWriter>> create() override {
    return CV_TRY(LocalBlobWriter::create(layout_));
  }

  Result<std::unique_ptr<BlobReader>> open(std::string_view blob_id) override {
    CV_TRY(check_id(blob_id));
    return CV_TRY(LocalBlobReader::open(layout_->blob_path(blob_id)));
  }

  // Not synced: a removal a crash undoes leaves an orphan that the next sweep deletes again.
  bool serves_files(std::string_view blob_id) const override { return BlobLayout::valid_id(blob_id); }

  Status remove(std::string_view blob_id) override {
    CV_TRY(check_id(blob_id));
    return posix::remove_file(layout_->blob_path(blob_id));
  }

  Result<std::string> copy_range(std::string_view blob_id, uint64_t offset,
                                 uint64_t length) override {
    CV_TRY(check_id(blob_id));
    const std::string source_path = layout_->blob_path(blob_id);
    auto source = CV_TRY(LocalBlobReader::open(source_path));
    if (offset > source->size() || length > source->size() - offset) {
      return fail(ErrorCode::kInvalidRange,
                  "copy range past the end of blob " + std::string(blob_id));
    }
    auto writer = CV_TRY(LocalBlobWriter::create(layout_));
    CV_TRY(writer->append_from_file(source->file_descriptor(), offset, length, source_path));
    return writer->commit();
  }

  Result<std::vector<std::string>> list() override {
    std::vector<std::string> ids;
    for (const std::string& top : CV_TRY(posix::list_directory(layout_->blobs_dir()))) {
      if (!is_hex_pair(top)) continue;
      const std::string top_dir = layout_->blobs_dir() + "/" + top;
      for (const std::string& leaf : CV_TRY(posix::list_directory(top_dir))) {
        if (!is_hex_pair(leaf)) continue;
        for (std::string& name : CV_TRY(posix::list_directory(top_dir + "/" + leaf))) {
          // Only files that sit where their id says; anything else is not ours.
          if (BlobLayout::valid_id(name) && name.starts_with(top + leaf)) {
            ids.push_back(std::move(name));
          }
        }
      }
    }
    return ids;
  }

  Status remove_incomplete() override {
    for (const std::string& name : CV_TRY(posix::list_directory(layout_->tmp_dir()))) {
      CV_TRY(posix::remove_file(layout_->tmp_dir() + "/" + name));
    }
    return {};
  }

 private:
  std::shared_ptr<BlobLayout> layout_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> open_local_blob_store(const std::filesystem::path& root) {
  auto layout = CV_TRY(BlobLayout::open(root.string()));
  return std::make_unique<LocalBlobStore>(std::move(layout));
}

}  // namespace cv::blob
