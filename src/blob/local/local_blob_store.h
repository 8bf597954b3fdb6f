// BlobStore over a local directory: blobs/<aa>/<bb>/<id>, temporaries in tmp/.
//
// Writers fill tmp/<id>; commit() fdatasyncs it, renames it to blobs/aa/bb/<id> (creating and
// syncing the fan-out folders as needed) and fsyncs that folder. Readers use pread and expose
// their descriptor for sendfile. Removal is not synced (a resurrected blob is an orphan the
// next sweep deletes). Every failure is kInternalError with the path and errno text.
#pragma once

#include <filesystem>
#include <memory>

#include "blob/blob_store.h"
#include "core/error.h"

namespace cv::blob {

// Opens (creating as needed) a store rooted at `root`; the parent of `root` must exist. The
// store is thread-safe; writers it hands out may outlive it.
Result<std::unique_ptr<BlobStore>> open_local_blob_store(const std::filesystem::path& root);

}  // namespace cv::blob
