// HTTP requests and responses as the protocol layers (s3, console) see them: plain data with
// streaming bodies, no Beast types. The http layer fills a Request from the wire and sends
// the Response a handler returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_source.h"

namespace cv {

// Header fields in arrival order. Names are stored lowercase; lookups take lowercase names.
class Headers {
 public:
  void add(std::string_view name, std::string_view value);
  // Replaces every field of that name with one.
  void set(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  // The first value of the field, or nullptr.
  const std::string* find(std::string_view name) const;
  std::string_view get(std::string_view name, std::string_view fallback = {}) const;
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Decoded query parameters in arrival order ("a=1&b" gives {a,1},{b,""}).
using QueryParams = std::vector<std::pair<std::string, std::string>>;
// Returns nullopt when a parameter has a malformed percent-escape. With plus_as_space false a
// '+' stays a '+' (SigV4 canonicalization reads the query that way).
std::optional<QueryParams> parse_query(std::string_view raw_query, bool plus_as_space = true);
const std::string* find_param(const QueryParams& params, std::string_view name);

struct Request {
  std::string method;  // "GET", "PUT", ...
  std::string target;  // request-target exactly as received
  std::string path;    // path part of target, still percent-encoded
  std::string query;   // raw query string, without '?'
  QueryParams params;  // decoded query
  Headers headers;
  std::optional<uint64_t> content_length;  // absent for Transfer-Encoding: chunked
  // The body, already de-chunked at the HTTP level. Never null; owned by the http layer and
  // valid until the handler returns. read() blocks the calling worker thread.
  ByteSource* body = nullptr;
  std::string remote_address;  // the client's IP address, without a port
  // The request came over TLS (https); false for plain HTTP and for tests that call a handler
  // directly. Read for SSE-C and console sign-in refusal (allows_sensitive below) and as
  // aws:SecureTransport.
  bool secure = false;
  std::string request_id;  // x-amz-request-id given to the response
  // When the request's first byte arrived: nanoseconds since the Unix epoch (wall clock);
  // 0 when the caller did not set it (tests that call a handler directly).
  int64_t arrival_ns = 0;
};

// What went over the wire for one request/response exchange: body bytes only (no request
// line, status line or header fields), after HTTP de-chunking. body_bytes_in counts every
// body byte read, also those read and dropped after the handler returned.
struct ExchangeTotals {
  uint64_t body_bytes_in = 0;
  uint64_t body_bytes_out = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  // The body when `stream` is null.
  std::string body;
  // A streamed body of exactly `content_length` bytes; read on a worker thread.
  std::unique_ptr<ByteSource> stream;
  // Content-Length to announce. Required with `stream`; without a stream and with an empty
  // body (HEAD) it announces the length of the entity that a GET would send.
  std::optional<uint64_t> content_length;
  // Called exactly once when the exchange has ended (the response sent, or sending failed),
  // with what went each way; on a worker thread, never a network thread, so it may block
  // briefly (the audit trail's queue). Empty: nothing to tell. Whoever sends the response
  // calls it (http::Server does); a response dropped unsent destroys it uncalled.
  std::move_only_function<void(const ExchangeTotals&)> on_complete;
  // The operation the front-end served ("GetObject", "ConsoleListFolder", "CreateUser"), for
  // metrics and logs; one of a fixed set of names, never text from the request. Empty:
  // unknown.
  std::string_view operation;
  // For the access log, filled by the front-end that served the request: the verified
  // caller's user name (empty: anonymous or not verified), the bucket and key it named
  // (decoded; empty: none), and the code of its error document (S3's "NoSuchKey", the
  // console's "SignInRequired"; empty on success).
  std::string user;
  std::string bucket;
  std::string key;
  std::string error_code;
  // The request was refused for its credentials (a signature that does not match, an unknown
  // access key, an expired token or pre-signed URL, a failed console sign-in); counted as an
  // authentication failure.
  bool authentication_failed = false;
};

// Whether requests carrying secrets (SSE-C keys, console sign-in) are served over plain HTTP:
// kLoopback (the default) only from a loopback peer (127.0.0.0/8, ::1, ::ffff:127.x), kAlways,
// or kNever. Requests over TLS are always served.
enum class PlainHttpSecrets { kLoopback, kAlways, kNever };
// Parses "loopback", "always", "never".
std::optional<PlainHttpSecrets> parse_plain_http_secrets(std::string_view text);
// Whether the peer is a loopback address (127.0.0.0/8, ::1, ::ffff:127.x).
bool from_loopback(const Request& request);
// True when `request` may carry secrets under `policy` (secure, or plain HTTP as allowed).
bool allows_secrets(const Request& request, PlainHttpSecrets policy);

// A protocol front-end (S3 API, console API). handle() runs on a worker thread and may block;
// it must be safe to call from many threads at once.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual Response handle(Request& request) = 0;
};

}  // namespace cv
