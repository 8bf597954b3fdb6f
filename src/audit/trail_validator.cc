#include "audit/trail_validator.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "audit/gzip.h"
#include "audit/trail_files.h"
#include "audit/trail_folder.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::audit {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

struct FoundDigest {
  std::string key;
  bool backfill = false;
  bool readable = false;  // gunzipped and parsed
  json::object document;
  std::string sha256_hex;
  std::optional<std::string> signature;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};

// Files named *.json.gz under <folder>/<below>, as keys relative to the folder.
std::vector<std::string> trail_keys(const fs::path& folder, const fs::path& below) {
  std::vector<std::string> keys;
  std::error_code error;
  if (!fs::is_directory(folder / below, error)) return keys;
  for (auto it = fs::recursive_directory_iterator(folder / below, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file() || name.starts_with(".") || !name.ends_with(".json.gz")) continue;
    keys.push_back(fs::relative(it->path(), folder).generic_string());
  }
  return keys;
}

std::string string_member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

int64_t time_member(const json::object& object, std::string_view name) {
  auto parsed = parse_iso8601(string_member(object, name));
  return parsed ? to_unix_nanos(*parsed) : 0;
}

// The time a file name carries in its `index`th '_'-separated part ("20261206T1000Z" or
// "20261206T100000Z"); nullopt when it has none.
std::optional<int64_t> name_time(const std::string& key, size_t index) {
  const std::string name = fs::path(key).filename().string();
  std::vector<std::string> parts;
  size_t begin = 0;
  for (size_t at = name.find('_'); at != std::string::npos; at = name.find('_', begin)) {
    parts.push_back(name.substr(begin, at - begin));
    begin = at + 1;
  }
  parts.push_back(name.substr(begin));
  if (parts.size() <= index) return std::nullopt;
  std::tm parts_tm{};
  const std::string& text = parts[index];
  const char* end =
      strptime(text.c_str(), text.size() >= 16 ? "%Y%m%dT%H%M%SZ" : "%Y%m%dT%H%MZ", &parts_tm);
  if (end == nullptr) return std::nullopt;
  return int64_t{timegm(&parts_tm)} * 1'000'000'000;
}

class Validator {
 public:
  Validator(meta::MetaStore& meta, const TrailValidationOptions& options)
      : meta_(meta), options_(options) {}

  Result<TrailValidation> run() {
    const fs::path base = fs::path("AWSLogs") / options_.account_id;
    for (const std::string& key :
         trail_keys(options_.folder, base / "CloudTrail-Digest" / options_.region)) {
      digests_.emplace(key, read_digest(key));
    }
    for (auto& [key, digest] : digests_) {
      if (!in_range(digest.start_ns, digest.end_ns)) continue;
      ++report_.digests_checked;
      check_digest(digest);
    }
    CV_TRY(check_chain());
    CV_TRY(check_log_files(base / "CloudTrail" / options_.region));
    return std::move(report_);
  }

 private:
  bool in_range(int64_t start_ns, int64_t end_ns) const {
    return (options_.from_ns == 0 || end_ns > options_.from_ns) &&
           (options_.to_ns == 0 || start_ns < options_.to_ns);
  }
  void problem(std::string text) { report_.problems.push_back(std::move(text)); }

  FoundDigest read_digest(const std::string& key) {
    FoundDigest digest;
    digest.key = key;
    digest.backfill = key.ends_with("_backfill.json.gz");
    digest.end_ns = digest.start_ns = name_time(key, 5).value_or(0);
    if (auto signature = read_whole_file(options_.folder / (key + ".sig"))) {
      digest.signature = std::string(trim(*signature));
    }
    auto bytes = read_whole_file(options_.folder / key);
    if (!bytes) return digest;
    auto document = gzip_decompress(*bytes);
    if (!document) return digest;
    boost::system::error_code error;
    json::value parsed = json::parse(*document, error);
    if (error || !parsed.is_object()) return digest;
    digest.readable = true;
    digest.document = parsed.as_object();
    digest.sha256_hex = hex_encode(sha256(*document));
    digest.start_ns = time_member(digest.document, "digestStartTime");
    digest.end_ns = time_member(digest.document, "digestEndTime");
    return digest;
  }

  void check_digest(const FoundDigest& digest) {
    if (!digest.readable) {
      problem(fmt::format("digest {}: not a readable digest file (changed)", digest.key));
      return;
    }
    if (!digest.signature) {
      problem(fmt::format("digest {}: its signature file {}.sig is missing (deleted)", digest.key,
                          digest.key));
      return;
    }
    const std::string message = digest_signing_string(
        string_member(digest.document, "digestEndTime"),
        string_member(digest.document, "digestS3Bucket") + "/" + digest.key, digest.sha256_hex,
        string_member(digest.document, "previousDigestSignature"));
    const auto signature = hex_decode(*digest.signature);
    if (!signature || !verify_ed25519(options_.public_key, message, *signature)) {
      problem(fmt::format(
          "digest {}: the signature does not verify (the digest was changed, or it was not "
          "signed by this server's key)",
          digest.key));
    }
  }

  Status check_chain() {
    std::set<std::string> reported_missing;
    std::map<std::string, std::string> successor;  // previous -> the digest that names it
    for (auto& [key, digest] : digests_) {
      if (!digest.readable || digest.backfill || !in_range(digest.start_ns, digest.end_ns)) {
        continue;
      }
      const std::string previous_key = string_member(digest.document, "previousDigestS3Object");
      if (previous_key.empty()) continue;
      if (auto [at, fresh] = successor.emplace(previous_key, key); !fresh) {
        problem(fmt::format("digests {} and {} both follow {} (the chain forks: one was inserted)",
                            at->second, key, previous_key));
      }
      auto previous = digests_.find(previous_key);
      if (previous == digests_.end()) {
        problem(fmt::format("digest {}: its previous digest {} is missing (deleted)", key,
                            previous_key));
        reported_missing.insert(previous_key);
        continue;
      }
      if (!previous->second.readable) continue;  // reported as changed already
      if (previous->second.sha256_hex !=
          string_member(digest.document, "previousDigestHashValue")) {
        problem(fmt::format("digest {}: the previous digest {} changed (its SHA-256 differs)", key,
                            previous_key));
      }
      if (previous->second.signature.value_or("") !=
          string_member(digest.document, "previousDigestSignature")) {
        problem(
            fmt::format("digest {}: chain broken: previousDigestSignature is not {}'s signature",
                        key, previous_key));
      }
      if (previous->second.end_ns != digest.start_ns) {
        problem(fmt::format("digest {}: chain broken: it starts at {} but {} ends at {}", key,
                            digest_time(digest.start_ns), previous_key,
                            digest_time(previous->second.end_ns)));
      }
    }
    // Every digest the store recorded is in the folder.
    for (const meta::TrailDigest& recorded : CV_TRY(meta_.list_trail_digests())) {
      if (!in_range(recorded.start_ns, recorded.end_ns) || digests_.contains(recorded.key) ||
          reported_missing.contains(recorded.key)) {
        continue;
      }
      problem(fmt::format("digest {} is missing (deleted)", recorded.key));
    }
    // Every chained digest in the folder is reachable from the newest one.
    std::set<std::string> chained;
    if (auto head = CV_TRY(meta_.trail_chain_head())) {
      for (std::string key = head->key; !key.empty() && !chained.contains(key);) {
        chained.insert(key);
        auto found = digests_.find(key);
        if (found == digests_.end() || !found->second.readable) break;
        key = string_member(found->second.document, "previousDigestS3Object");
      }
    }
    for (auto& [key, digest] : digests_) {
      if (digest.backfill || chained.contains(key) || !in_range(digest.start_ns, digest.end_ns)) {
        continue;
      }
      problem(fmt::format("digest {} is not in the chain that ends at the newest digest (inserted)",
                          key));
    }
    return {};
  }

  Status check_log_files(const fs::path& logs) {
    std::set<std::string> listed;
    for (auto& [key, digest] : digests_) {
      if (!digest.readable) continue;
      const json::value* files = digest.document.if_contains("logFiles");
      if (files == nullptr || !files->is_array()) continue;
      const bool checked = in_range(digest.start_ns, digest.end_ns);
      for (const json::value& entry : files->as_array()) {
        if (!entry.is_object()) continue;
        const std::string file_key = string_member(entry.as_object(), "s3Object");
        listed.insert(file_key);
        if (checked) check_listed(key, file_key, string_member(entry.as_object(), "hashValue"));
      }
    }
    std::set<std::string> pending;
    for (const auto& file : CV_TRY(meta_.undigested_trail_files())) pending.insert(file.key);
    for (const auto& file : CV_TRY(meta_.unwritten_trail_files())) pending.insert(file.key);
    for (const std::string& key : trail_keys(options_.folder, logs)) {
      const int64_t delivered = name_time(key, 3).value_or(0);
      if (listed.contains(key) || pending.contains(key) || !in_range(delivered, delivered + 1)) {
        continue;
      }
      problem(fmt::format("log file {} is listed by no digest (inserted)", key));
    }
    return {};
  }

  void check_listed(const std::string& digest_key, const std::string& key,
                    const std::string& sha256_hex) {
    ++report_.log_files_checked;
    auto bytes = read_whole_file(options_.folder / key);
    if (!bytes) {
      problem(
          fmt::format("log file {} (listed by digest {}) is missing (deleted)", key, digest_key));
      return;
    }
    auto content = gzip_decompress(*bytes);
    if (!content || hex_encode(sha256(*content)) != sha256_hex) {
      problem(fmt::format("log file {} changed (its SHA-256 is not the one digest {} lists)", key,
                          digest_key));
    }
  }

  meta::MetaStore& meta_;
  const TrailValidationOptions& options_;
  std::map<std::string, FoundDigest> digests_;
  TrailValidation report_;
};

}  // namespace

Result<TrailValidation> validate_trail(meta::MetaStore& meta,
                                       const TrailValidationOptions& options) {
  return Validator(meta, options).run();
}

}  // namespace cv::audit
