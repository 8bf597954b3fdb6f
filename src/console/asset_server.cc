#include "console/asset_server.h"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "console/console_api.h"
#include "core/encoding.h"

namespace cv::console {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kContentTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
}};

std::string_view content_type_of(const std::filesystem::path& path) {
  const std::string extension = path.extension().string();
  for (const auto& [suffix, type] : kContentTypes) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

void add_security_headers(Response& response) {
  response.headers.add("content-security-policy", std::string(kContentSecurityPolicy));
  response.headers.add("x-content-type-options", "nosniff");
  response.headers.add("referrer-policy", "no-referrer");
  response.headers.add("x-frame-options", "DENY");
}

// The asset path below the prefix, or nullopt when it could escape the root (any "..", ".",
// empty or hidden segment, a backslash or a NUL).
std::optional<std::string> safe_relative_path(std::string_view decoded) {
  std::string out;
  size_t start = 0;
  while (start <= decoded.size()) {
    const size_t slash = decoded.find('/', start);
    const std::string_view segment = decoded.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty()) {
      if (slash == std::string_view::npos) break;  // a trailing slash
      return std::nullopt;
    }
    if (segment.starts_with('.') || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return std::nullopt;
    }
    if (!out.empty()) out += '/';
    out += segment;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

AssetServer::AssetServer(std::filesystem::path root) : root_(std::move(root)) {}

bool AssetServer::owns(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  if (request.path == "/") {
    // A browser navigating asks for HTML; an S3 client's anonymous ListBuckets does not and
    // keeps getting S3's AccessDenied.
    return request.query.empty() && !request.headers.contains("authorization") &&
           request.headers.get("accept").find("text/html") != std::string_view::npos;
  }
  return request.path.starts_with(kConsolePrefix) && !request.path.starts_with(kApiPrefix);
}

Response AssetServer::handle(Request& request) {
  Response response;
  if (request.path == "/") {
    response.status = 302;
    response.headers.add("location", std::string(kConsolePrefix));
    return response;
  }
  add_security_headers(response);
  const auto decoded = percent_decode(std::string_view(request.path).substr(kConsolePrefix.size()));
  const auto relative = decoded ? safe_relative_path(*decoded) : std::nullopt;
  if (!relative) {
    response.status = 400;
    response.headers.add("content-type", "text/plain; charset=utf-8");
    response.body = "That path is not valid.\n";
    return response;
  }
  std::filesystem::path file = root_ / *relative;
  std::optional<std::string> body = relative->empty() ? std::nullopt : read_file(file);
  const bool is_asset = body.has_value();
  if (!body) {
    if (relative->starts_with("assets/")) {
      response.status = 404;
      response.headers.add("content-type", "text/plain; charset=utf-8");
      response.body = "No such asset.\n";
      return response;
    }
    // Any other path is a page of the console: index.html routes itself.
    file = root_ / "index.html";
    body = read_file(file);
  }
  if (!body) {
    response.status = 503;
    response.headers.add("content-type", "text/html; charset=utf-8");
    response.body =
        "<!doctype html><title>CloudVault</title><p>The web console has not been built. Run "
        "<code>make run</code> (it builds <code>console/dist</code>) and reload.</p>\n";
    return response;
  }
  response.headers.add("content-type", std::string(content_type_of(file)));
  // Vite names built assets by content hash: they never change. Pages must be revalidated.
  response.headers.add("cache-control", is_asset && relative->starts_with("assets/")
                                            ? "public, max-age=31536000, immutable"
                                            : "no-cache");
  response.content_length = body->size();
  if (request.method == "GET") response.body = std::move(*body);
  return response;
}

}  // namespace cv::console
