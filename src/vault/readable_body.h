// A version's body once the vault has decided it may be read: the one place GET, CopyObject,
// UploadPartCopy and the console check readability and the customer key before any byte
// (or response header) goes out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "core/byte_source.h"
#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

class Vault;

// Made by Vault::readable_body, which has checked that the version is readable (not archived,
// or archived with a finished restore) and that the customer key fits, and has unwrapped the
// data key. open() then only opens streams; it may be called any number of times.
//
// Holds a reference to the ObjectVersion it was made for: that version (and the Vault's
// BlobStore) must outlive it. Not thread-safe; the streams it opens are independent.
class ReadableBody {
 public:
  // A stream of bytes [offset, offset + length) of the body, decrypted when it is encrypted.
  // The first byte is read before this returns, so missing or damaged stored data at the
  // start of the range fails here (InternalError); damage further on fails the stream's read.
  Result<std::unique_ptr<ByteSource>> open(uint64_t offset, uint64_t length) const;

 private:
  friend class Vault;
  ReadableBody(blob::BlobStore& blobs, const meta::ObjectVersion& object, std::string data_key)
      : blobs_(&blobs), object_(&object), data_key_(std::move(data_key)) {}

  blob::BlobStore* blobs_;
  const meta::ObjectVersion* object_;
  std::string data_key_;  // unwrapped; empty when the body is stored plain
};

}  // namespace cv::vault
