#include "app/vault_trail_source.h"

namespace cv::app {

std::optional<S3Location> parse_s3_location(std::string_view text) {
  constexpr std::string_view kScheme = "s3://";
  if (!text.starts_with(kScheme)) return std::nullopt;
  text.remove_prefix(kScheme.size());
  size_t slash = text.find('/');
  S3Location location;
  location.bucket = std::string(text.substr(0, slash));
  if (slash != std::string_view::npos) location.prefix = std::string(text.substr(slash + 1));
  if (location.bucket.empty()) return std::nullopt;
  return location;
}

VaultTrailSource::VaultTrailSource(vault::Vault& vault, S3Location location)
    : vault_(vault), location_(std::move(location)) {}

std::string VaultTrailSource::name() const {
  return "s3://" + location_.bucket + "/" + location_.prefix;
}

Result<std::vector<activity::SourceFile>> VaultTrailSource::list() {
  std::vector<activity::SourceFile> files;
  meta::ListObjectsQuery query;
  query.bucket = location_.bucket;
  query.prefix = location_.prefix;
  while (true) {
    meta::ListObjectsPage page = CV_TRY(vault_.list_objects(query));
    for (const meta::ObjectVersion& object : page.objects) {
      if (!activity::is_trail_file_name(object.key)) continue;
      files.push_back(
          activity::SourceFile{object.key, static_cast<int64_t>(object.size), object.etag});
    }
    if (!page.truncated) break;
    query.start_after = page.last_entry;
  }
  return files;
}

Result<std::unique_ptr<ByteSource>> VaultTrailSource::open(const activity::SourceFile& file) {
  meta::ObjectVersion object = CV_TRY(vault_.get_object(location_.bucket, file.path));
  if (object.size == 0) {
    return std::unique_ptr<ByteSource>(std::make_unique<StringSource>(std::string()));
  }
  return vault_.open_body(object, 0, object.size);
}

}  // namespace cv::app
