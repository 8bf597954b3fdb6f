#include "blob/local/local_blob_reader.h"

#include <fcntl.h>

#include <algorithm>

namespace cv::blob {

Result<std::unique_ptr<LocalBlobReader>> LocalBlobReader::open(std::string path) {
  posix::UniqueFd fd = CV_TRY(posix::open_file(path, O_RDONLY));
  uint64_t size = CV_TRY(posix::file_size(fd.get(), path));
  // Bodies are mostly read front to back: ask for a larger read-ahead window.
  (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<LocalBlobReader>(
      new LocalBlobReader(std::move(path), std::move(fd), size));
}

Result<size_t> LocalBlobReader::read_at(uint64_t offset, std::span<char> out) {
  if (offset >= size_ || out.empty()) return size_t{0};
  size_t want = static_cast<size_t>(std::min<uint64_t>(out.size(), size_ - offset));
  return posix::pread_full(fd_.get(), offset, out.first(want), path_);
}

}  // namespace cv::blob
