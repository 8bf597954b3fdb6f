#include "activity/cloudtrail_reader.h"

#include <fmt/format.h>

#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <optional>

#include "activity/gzip_inflater.h"

namespace cv::activity {
namespace json = boost::json;

namespace {

// Largest record taken (CloudTrail's own limit is 256 KiB per event).
constexpr size_t kMaxRecordBytes = 8 * 1024 * 1024;

bool is_records_key(std::string_view key) {
  return key == "Records" || key == "Events" || key == "QueryResultRows";
}

// Turns one element of a records list into a record, or says why it is none.
std::optional<std::string> to_record(json::value element, json::object& record) {
  if (element.is_array()) {  // a Lake row: [{"eventID": ..}, {"eventTime": ..}, ..]
    for (json::value& cell : element.as_array()) {
      if (!cell.is_object()) return "a Lake result row holds a non-object";
      for (auto& field : cell.as_object()) record[field.key()] = std::move(field.value());
    }
    return std::nullopt;
  }
  if (!element.is_object())
    return fmt::format("a record is a {}, not an object", to_string(element.kind()).data());
  json::object& object = element.as_object();
  if (const json::value* text = object.if_contains("CloudTrailEvent")) {
    if (!text->is_string()) return "CloudTrailEvent is not a string";
    auto parsed = parse_record_text(text->as_string());
    if (!parsed) return parsed.error().message;
    record = std::move(*parsed);
    return std::nullopt;
  }
  record = std::move(object);
  return std::nullopt;
}

// The SAX handler: walks the document's outer structure and builds the value of each
// record (and nothing else) on a value_stack.
class Handler {
 public:
  static constexpr size_t max_object_size = size_t(-1);
  static constexpr size_t max_array_size = size_t(-1);
  static constexpr size_t max_key_size = size_t(-1);
  static constexpr size_t max_string_size = size_t(-1);

  explicit Handler(RecordSink& sink) : sink_(sink) {}

  // Bytes of the record being built (a bound against a runaway element).
  size_t captured_bytes = 0;
  bool too_large = false;

  bool on_document_begin(json::error_code&) {
    top_ = Top::kUnknown;
    records_array_open_ = false;
    return true;
  }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) {
    ++depth_;
    if (capture_depth_ != 0) return true;
    if (depth_ == 1) {
      top_ = Top::kObjectPending;
    } else if (element_depth()) {
      begin_capture();
    }
    return true;
  }
  bool on_object_end(size_t n, json::error_code&) {
    if (capture_depth_ != 0) {
      stack_.push_object(n);
      if (depth_ == capture_depth_) deliver();
    }
    --depth_;
    return true;
  }
  bool on_array_begin(json::error_code&) {
    ++depth_;
    if (capture_depth_ != 0) return true;
    if (depth_ == 1) {
      top_ = Top::kArray;
    } else if (depth_ == 2 && top_ == Top::kContainer && current_key_is_records_) {
      records_array_open_ = true;
    } else if (element_depth()) {
      begin_capture();
    }
    return true;
  }
  bool on_array_end(size_t n, json::error_code&) {
    if (capture_depth_ != 0) {
      stack_.push_array(n);
      if (depth_ == capture_depth_) deliver();
    } else if (depth_ == 2) {
      records_array_open_ = false;
    }
    --depth_;
    return true;
  }

  bool on_key_part(json::string_view s, size_t, json::error_code&) {
    if (capture_depth_ != 0) {
      count(s.size());
      stack_.push_chars(s);
    } else {
      pending_key_.append(s.data(), s.size());
    }
    return true;
  }
  bool on_key(json::string_view s, size_t, json::error_code&) {
    if (capture_depth_ != 0) {
      count(s.size());
      stack_.push_key(s);
      return true;
    }
    pending_key_.append(s.data(), s.size());
    if (depth_ == 1) {
      if (top_ == Top::kObjectPending) {
        if (is_records_key(pending_key_)) {
          top_ = Top::kContainer;
        } else {  // a record per document (JSON lines): this object is the record
          top_ = Top::kRecordDocument;
          begin_capture();
          capture_depth_ = 1;
          stack_.push_key(pending_key_);
          pending_key_.clear();
          return true;
        }
      }
      current_key_is_records_ = top_ == Top::kContainer && is_records_key(pending_key_);
    }
    pending_key_.clear();
    return true;
  }

  bool on_string_part(json::string_view s, size_t, json::error_code&) {
    if (capture_depth_ != 0) {
      count(s.size());
      stack_.push_chars(s);
    }
    return true;
  }
  bool on_string(json::string_view s, size_t, json::error_code&) {
    if (capture_depth_ != 0) {
      count(s.size());
      stack_.push_string(s);
    } else {
      scalar_element("string");
    }
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    if (capture_depth_ != 0)
      stack_.push_int64(i);
    else
      scalar_element("number");
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    if (capture_depth_ != 0)
      stack_.push_uint64(u);
    else
      scalar_element("number");
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    if (capture_depth_ != 0)
      stack_.push_double(d);
    else
      scalar_element("number");
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    if (capture_depth_ != 0)
      stack_.push_bool(b);
    else
      scalar_element("boolean");
    return true;
  }
  bool on_null(json::error_code&) {
    if (capture_depth_ != 0)
      stack_.push_null();
    else
      scalar_element("null");
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  enum class Top { kUnknown, kObjectPending, kContainer, kRecordDocument, kArray };

  // Whether a value starting at depth_ is an element of the records list.
  bool element_depth() const {
    return (depth_ == 3 && records_array_open_) || (depth_ == 2 && top_ == Top::kArray);
  }
  void begin_capture() {
    // Each record is built in an arena of its own (a fixed buffer first), dropped when the
    // next record starts.
    arena_.reset();
    arena_.emplace(arena_buffer_.data(), arena_buffer_.size());
    stack_.reset(json::storage_ptr(&*arena_));
    capture_depth_ = depth_;
    captured_bytes = 0;
  }
  void count(size_t bytes) {
    captured_bytes += bytes;
    if (captured_bytes > kMaxRecordBytes) too_large = true;
  }
  void scalar_element(const char* kind) {
    if ((depth_ == 2 && records_array_open_) || (depth_ == 1 && top_ == Top::kArray)) {
      sink_.on_malformed_record(fmt::format("a record is a {}, not an object", kind));
    }
  }
  void deliver() {
    capture_depth_ = 0;
    json::value element = stack_.release();
    if (too_large) {
      too_large = false;
      sink_.on_malformed_record(fmt::format("a record is larger than {} bytes", kMaxRecordBytes));
      return;
    }
    json::object record(element.storage());
    if (auto problem = to_record(std::move(element), record)) {
      sink_.on_malformed_record(std::move(*problem));
    } else {
      sink_.on_record(record);
    }
  }

  RecordSink& sink_;
  std::array<unsigned char, 32 * 1024> arena_buffer_;
  std::optional<json::monotonic_resource> arena_;
  json::value_stack stack_;
  size_t depth_ = 0;          // containers open
  size_t capture_depth_ = 0;  // depth of the element being built; 0: none
  Top top_ = Top::kUnknown;
  bool current_key_is_records_ = false;
  bool records_array_open_ = false;
  std::string pending_key_;
};

json::parse_options reader_options() {
  json::parse_options options;
  options.max_depth = 64;
  options.allow_invalid_utf8 = true;  // a stray byte in a user agent spoils no record
  return options;
}

}  // namespace

struct CloudTrailReader::State {
  explicit State(RecordSink& sink) : parser(reader_options(), sink) {}
  json::basic_parser<Handler> parser;
  std::optional<GzipInflater> gzip;
  bool format_known = false;
  std::string head;     // the first byte, until a second one tells the format
  uint64_t offset = 0;  // decompressed bytes consumed
  bool in_document = false;
};

CloudTrailReader::CloudTrailReader(RecordSink& sink) : state_(std::make_unique<State>(sink)) {}
CloudTrailReader::~CloudTrailReader() = default;

Status CloudTrailReader::feed(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (!state_->format_known) {
    // The format is known from the first two bytes, however the stream splits them.
    state_->head.append(bytes);
    if (state_->head.size() < 2) return {};
    state_->format_known = true;
    if (static_cast<unsigned char>(state_->head[0]) == 0x1f &&
        static_cast<unsigned char>(state_->head[1]) == 0x8b) {
      state_->gzip.emplace();
    }
    std::string head = std::move(state_->head);
    return feed_known(head);
  }
  return feed_known(bytes);
}

Status CloudTrailReader::feed_known(std::string_view bytes) {
  if (!state_->gzip) return feed_plain(bytes);
  return state_->gzip->feed(bytes, [this](std::string_view plain) { return feed_plain(plain); });
}

Status CloudTrailReader::feed_plain(std::string_view bytes) {
  auto& parser = state_->parser;
  while (!bytes.empty()) {
    if (!state_->in_document) {
      // Whitespace between documents (JSON lines) is not a document.
      size_t start = bytes.find_first_not_of(" \t\r\n");
      if (start == std::string_view::npos) {
        state_->offset += bytes.size();
        return {};
      }
      state_->offset += start;
      bytes.remove_prefix(start);
      parser.reset();
      state_->in_document = true;
    }
    json::error_code ec;
    size_t used = parser.write_some(true, bytes.data(), bytes.size(), ec);
    if (ec && ec != json::error::extra_data) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("invalid JSON at byte {}: {}", state_->offset + used, ec.message()));
    }
    state_->offset += used;
    bytes.remove_prefix(used);
    if (parser.done()) state_->in_document = false;
  }
  return {};
}

Status CloudTrailReader::finish() {
  if (!state_->format_known && !state_->head.empty()) {
    state_->format_known = true;
    std::string head = std::move(state_->head);
    CV_TRY(feed_plain(head));
  }
  if (state_->gzip) CV_TRY(state_->gzip->finish());
  if (state_->in_document) {
    json::error_code ec;
    state_->parser.write_some(false, nullptr, 0, ec);
    if (ec || !state_->parser.done()) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("JSON ends early at byte {}", state_->offset));
    }
    state_->in_document = false;
  }
  return {};
}

Result<boost::json::object> parse_record_text(std::string_view text) {
  json::error_code ec;
  json::value value = json::parse(text, ec, {}, reader_options());
  if (ec) return fail(ErrorCode::kInvalidArgument, "CloudTrailEvent is not JSON: " + ec.message());
  if (!value.is_object())
    return fail(ErrorCode::kInvalidArgument, "CloudTrailEvent is not an object");
  return std::move(value.as_object());
}

}  // namespace cv::activity
