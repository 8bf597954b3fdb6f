// A body that store_body() has made durable, before its metadata is committed.
#pragma once

#include <optional>
#include <string>

#include "meta/types.h"
#include "vault/vault.h"

namespace cv::vault {

struct Vault::StoredBody {
  BodyDigests digests;
  std::string inline_data;            // the body when `blob` is empty
  std::optional<meta::BlobRef> blob;  // the committed blob holding the body
};

}  // namespace cv::vault
