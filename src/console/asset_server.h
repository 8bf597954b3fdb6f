// Serves the console's built web assets (console/dist, made by `vite build`) under
// /_console/, with content types, caching headers and a strict Content-Security-Policy; a
// browser's plain visit to / is sent there. Paths that are not files fall back to index.html
// (the page routes itself), and nothing outside the assets folder is ever read.
//
// Thread-safe (reads files per request; no state after construction).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/http_message.h"

namespace cv::console {

inline constexpr std::string_view kConsolePrefix = "/_console/";

// The header every console page and asset carries.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

class AssetServer final : public RequestHandler {
 public:
  explicit AssetServer(std::filesystem::path root);

  // Whether the request is the console's: GET/HEAD under /_console/ (but not its API), or a
  // browser's unsigned visit to / (Accept names text/html; no Authorization, no query).
  static bool owns(const Request& request);
  Response handle(Request& request) override;

 private:
  std::filesystem::path root_;
};

}  // namespace cv::console
