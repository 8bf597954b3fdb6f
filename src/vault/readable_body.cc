#include "vault/readable_body.h"

#include "vault/object_body_source.h"

namespace cv::vault {

Result<std::unique_ptr<ByteSource>> ReadableBody::open(uint64_t offset, uint64_t length) const {
  if (object_->restore && !object_->restore->ongoing && !object_->restore->blobs.empty()) {
    // An archived version reads from its restored copy.
    meta::ObjectVersion restored = *object_;
    restored.blobs = object_->restore->blobs;
    return std::unique_ptr<ByteSource>(
        CV_TRY(ObjectBodySource::open(*blobs_, restored, offset, length, data_key_)));
  }
  return std::unique_ptr<ByteSource>(
      CV_TRY(ObjectBodySource::open(*blobs_, *object_, offset, length, data_key_)));
}

}  // namespace cv::vault
