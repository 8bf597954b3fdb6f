// The few S3 XML documents the remote client reads and writes. Internal to the remote layer.
// Parsing is with pugixml, without DTDs or entity expansion; the transport has already
// bounded the body (1 MiB by default). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cv::remote {

struct ErrorDocument {
  std::string code;
  std::string message;
  std::string resource;
  std::string request_id;
};

// The <Error> document of an S3 error answer (or of a 200 answer to CompleteMultipartUpload
// that failed after all); nullopt when `body` is not one.
std::optional<ErrorDocument> parse_error_document(std::string_view body);

// <InitiateMultipartUploadResult><UploadId>.
std::optional<std::string> parse_upload_id(std::string_view body);

struct ListedPart {
  uint32_t part_number = 0;
  uint64_t size = 0;
  std::string etag;  // without quotes
};
struct PartsPage {
  std::vector<ListedPart> parts;
  bool truncated = false;
  uint32_t next_marker = 0;
};
// <ListPartsResult>; nullopt when malformed (a part without number, size or ETag).
std::optional<PartsPage> parse_parts_page(std::string_view body);

// <CompleteMultipartUploadResult><ETag> without quotes; nullopt when absent.
std::optional<std::string> parse_complete_etag(std::string_view body);

// The <CompleteMultipartUpload> request document; ETags are quoted as S3 expects.
std::string complete_document(const std::vector<ListedPart>& parts);
// PutObjectTagging's body: <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>.
std::string tagging_document(const std::vector<std::pair<std::string, std::string>>& tags);

struct ListedObject {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // without quotes
};
struct ObjectsPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_continuation_token;
};
// <ListBucketResult> of ListObjectsV2; nullopt when malformed (an object without key or size,
// or a truncated page without NextContinuationToken).
std::optional<ObjectsPage> parse_objects_page(std::string_view body);

struct ListedUpload {
  std::string key;
  std::string upload_id;
};
struct UploadsPage {
  std::vector<ListedUpload> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};
// <ListMultipartUploadsResult>; nullopt when malformed (an upload without key or id, or a
// truncated page without NextKeyMarker).
std::optional<UploadsPage> parse_uploads_page(std::string_view body);

// An ETag without surrounding quotes (and a W/ prefix).
std::string unquote_etag(std::string_view etag);

}  // namespace cv::remote
