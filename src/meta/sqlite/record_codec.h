// Encoding of the less-used record fields as compact JSON text columns.
//
// Each encoder returns "" for an empty value so the column can hold NULL; each decoder
// accepts "" (NULL) as empty. Strings are arbitrary bytes. Decoders fail with
// kInternalError on malformed text (a corrupt database).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// [[name,value],...]
std::string encode_pairs(const StringPairs& pairs);
Result<StringPairs> decode_pairs(std::string_view json);

// {"headers":[[name,value]...],"metadata":[[name,value]...]}
std::string encode_attributes(const StringPairs& headers, const StringPairs& metadata);
Status decode_attributes(std::string_view json, StringPairs& headers, StringPairs& metadata);

// [[blob_id,size],...]
std::string encode_blobs(const std::vector<BlobRef>& blobs);
Result<std::vector<BlobRef>> decode_blobs(std::string_view json);

}  // namespace cv::meta::sqlite
