#include "blob/local/local_blob_writer.h"

#include <fcntl.h>
#include <stdio.h>

#include <cerrno>

#include "core/ids.h"

namespace cv::blob {
namespace {

// Write-back is started every kWritebackChunk bytes, so the disk works while the body is still
// arriving and commit()'s fdatasync only waits for the last stretch. The writer never waits
// for write-back itself (measured: waiting only moved the stall earlier); the kernel's dirty
// page throttling bounds memory when the producer outruns the disk.
constexpr uint64_t kWritebackChunk = uint64_t{8} << 20;

}  // namespace

Result<std::unique_ptr<LocalBlobWriter>> LocalBlobWriter::create(
    std::shared_ptr<BlobLayout> layout) {
  std::string id = new_blob_id();
  posix::UniqueFd fd =
      CV_TRY(posix::open_file(layout->temp_path(id), O_WRONLY | O_CREAT | O_EXCL, 0644));
  return std::unique_ptr<LocalBlobWriter>(
      new LocalBlobWriter(std::move(layout), std::move(id), std::move(fd)));
}

LocalBlobWriter::LocalBlobWriter(std::shared_ptr<BlobLayout> layout, std::string id,
                                 posix::UniqueFd fd)
    : layout_(std::move(layout)),
      id_(std::move(id)),
      temp_path_(layout_->temp_path(id_)),
      fd_(std::move(fd)) {}

LocalBlobWriter::~LocalBlobWriter() {
  fd_.reset();
  if (!published_) (void)posix::remove_file(temp_path_);
}

Status LocalBlobWriter::check_open() const {
  if (finished_) return fail(ErrorCode::kInternalError, "blob writer used after commit");
  return {};
}

Status LocalBlobWriter::append(std::string_view bytes) {
  CV_TRY(check_open());
  CV_TRY(posix::pwrite_all(fd_.get(), size_, bytes, temp_path_));
  size_ += bytes.size();
  start_writeback();
  return {};
}

Status LocalBlobWriter::append_from_file(int source, uint64_t offset, uint64_t length,
                                         const std::string& source_path) {
  CV_TRY(check_open());
  CV_TRY(posix::copy_bytes(source, offset, fd_.get(), size_, length, source_path, temp_path_));
  size_ += length;
  return {};
}

void LocalBlobWriter::start_writeback() {
  // Hints only: a failure here resurfaces from fdatasync in commit().
  while (size_ - writeback_started_ >= kWritebackChunk) {
    ::sync_file_range(fd_.get(), static_cast<off_t>(writeback_started_),
                      static_cast<off_t>(kWritebackChunk), SYNC_FILE_RANGE_WRITE);
    writeback_started_ += kWritebackChunk;
  }
}

Result<std::string> LocalBlobWriter::commit() {
  CV_TRY(check_open());
  finished_ = true;
  CV_TRY(posix::sync_file_data(fd_.get(), temp_path_));
  fd_.reset();
  CV_TRY(layout_->ensure_fanout_dirs(id_));
  const std::string final_path = layout_->blob_path(id_);
  if (::rename(temp_path_.c_str(), final_path.c_str()) != 0) {
    return fail(posix::errno_error("rename", temp_path_, errno));
  }
  published_ = true;
  if (auto synced = posix::sync_directory(layout_->fanout_dir(id_)); !synced) {
    // Visible but maybe not durable: take it back rather than hand out an id that a crash
    // could lose.
    (void)posix::remove_file(final_path);
    return fail(std::move(synced).error());
  }
  return id_;
}

}  // namespace cv::blob
