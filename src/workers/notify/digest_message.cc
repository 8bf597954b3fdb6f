#include "workers/notify/digest_message.h"

#include <boost/json.hpp>

namespace cv::workers::notify {

NotificationMessage digest_message(const DigestWindow& window,
                                   const std::vector<meta::OutboxTask>& receipts,
                                   std::string_view destination, std::string_view console_url) {
  namespace json = boost::json;
  ReceiptDigest digest;
  digest.window_start = from_unix_nanos(window.start_ns);
  digest.window_end = from_unix_nanos(window.end_ns);
  json::array objects;
  for (const meta::OutboxTask& receipt : receipts) {
    const meta::Event& event = receipt.event;
    digest.entries.push_back({event.key, event.size, event.version_id});
    digest.bytes += event.size;
    objects.push_back(json::object{{"key", event.key},
                                   {"size", event.size},
                                   {"versionId", event.version_id},
                                   {"eTag", event.etag}});
  }
  NotificationMessage message;
  message.event_document =
      json::serialize(json::object{{"cloudvault", "BackupDigest"},
                                   {"bucket", window.bucket},
                                   {"rule", window.rule},
                                   {"destination", destination},
                                   {"window_start", format_iso8601(digest.window_start)},
                                   {"window_end", format_iso8601(digest.window_end)},
                                   {"count", receipts.size()},
                                   {"bytes", digest.bytes},
                                   {"objects", std::move(objects)}});
  message.event_name = std::string(kDigestEventName);
  message.bucket = window.bucket;
  message.size = digest.bytes;
  message.destination = std::string(destination);
  message.time = digest.window_end;
  message.console_url = std::string(console_url);
  message.digest = std::move(digest);
  return message;
}

}  // namespace cv::workers::notify
