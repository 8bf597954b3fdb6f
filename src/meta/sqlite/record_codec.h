// Encoding of the less-used record fields as compact JSON text columns.
//
// Each encoder returns "" for an empty value so the column can hold NULL; each decoder
// accepts "" (NULL) as empty. Strings are arbitrary bytes. Decoders fail with
// kInternalError on malformed text (a corrupt database).
#pragma once

#include <optional>
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

// [[blob_id,size],...]; a blob with a stored size or codec: [blob_id,size,stored_size,codec].
std::string encode_blobs(const std::vector<BlobRef>& blobs);
Result<std::vector<BlobRef>> decode_blobs(std::string_view json);

// How the body is kept: {"enc":{"mode":"S3"|"C","key":b64,"md5":...},
// "restore":{"ongoing":b,"expiry":ns,"days":n,"blobs":[...]}}; "" when plain and unrestored.
std::string encode_storage(const Encryption& encryption, const std::optional<Restore>& restore);
Status decode_storage(std::string_view json, Encryption& encryption,
                      std::optional<Restore>& restore);

}  // namespace cv::meta::sqlite
