// BlobStore over a local directory: blobs/<aa>/<bb>/<id>, temporaries in tmp/.
#pragma once

#include <filesystem>
#include <memory>

#include "blob/blob_store.h"
#include "core/error.h"

namespace cv::blob {

// Opens (creating as needed) a store rooted at `root`.
Result<std::unique_ptr<BlobStore>> open_local_blob_store(const std::filesystem::path& root);

}  // namespace cv::blob
