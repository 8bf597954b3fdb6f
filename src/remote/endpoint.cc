#include "remote/endpoint.h"

#include <boost/url/parse.hpp>

#include "core/encoding.h"

namespace cv::remote {

RemoteResult<EndpointAddress> parse_endpoint(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return std::unexpected(argument_error("endpoint is not a URL: " + std::string(url)));
  const std::string scheme = to_lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") {
    return std::unexpected(
        argument_error("endpoint must be http:// or https://: " + std::string(url)));
  }
  if (parsed->encoded_host().empty() || parsed->has_userinfo() || parsed->has_query() ||
      parsed->has_fragment() ||
      (!parsed->encoded_path().empty() && parsed->encoded_path() != "/")) {
    return std::unexpected(
        argument_error("endpoint must be scheme://host[:port] with no path: " + std::string(url)));
  }
  EndpointAddress out;
  out.scheme = scheme;
  out.host = to_lower(std::string_view(parsed->encoded_host()));
  out.port = std::string(parsed->port());
  const bool default_port = out.port.empty() || (scheme == "http" && out.port == "80") ||
                            (scheme == "https" && out.port == "443");
  out.host_header = default_port ? out.host : out.host + ":" + out.port;
  return out;
}

RequestTarget address(const EndpointAddress& endpoint, bool path_style, std::string_view bucket,
                      std::string_view key, QueryParams query) {
  RequestTarget out;
  std::string host = endpoint.host;
  if (path_style) {
    out.path = "/" + uri_encode(bucket);
    if (!key.empty()) out.path += "/" + uri_encode(key, false);
  } else {
    host = std::string(bucket) + "." + host;
    out.path = "/" + uri_encode(key, false);
  }
  out.host = host;
  if (!endpoint.port.empty() && endpoint.host_header != endpoint.host)
    out.host += ":" + endpoint.port;
  out.url = endpoint.scheme + "://" + host;
  if (!endpoint.port.empty()) out.url += ":" + endpoint.port;
  out.url += out.path;
  char separator = '?';
  for (const auto& [name, value] : query) {
    out.url += separator;
    out.url += uri_encode(name);
    if (!value.empty()) out.url += "=" + uri_encode(value);
    separator = '&';
  }
  out.query = std::move(query);
  return out;
}

}  // namespace cv::remote
