// GET thumbnail?bucket=&key=&size=&etag=: a JPEG thumbnail of an image object for the gallery,
// made once per object version and size, then served from the cache.
#include <charconv>

#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/byte_source.h"
#include "core/http_message.h"

namespace cv::console {
namespace {

// Images larger than this are not thumbnailed (their originals are shown instead).
constexpr uint64_t kMaxImageBytes = 64ull << 20;
constexpr int kSizes[] = {128, 256, 512};

}  // namespace

Response thumbnail(RouteContext& context) {
  const std::string* bucket = find_param(context.request.params, "bucket");
  const std::string* key = find_param(context.request.params, "key");
  if (!bucket || !key) return json_error(400, "InvalidRequest", "Give a bucket and a key.");
  int size = 256;
  if (const std::string* text = find_param(context.request.params, "size")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), size);
    if (ec != std::errc() || end != text->data() + text->size() ||
        std::find(std::begin(kSizes), std::end(kSizes), size) == std::end(kSizes)) {
      return json_error(400, "InvalidRequest", "size must be 128, 256 or 512.");
    }
  }
  if (auto allowed = permit_object(context, "s3:GetObject", *bucket, *key); !allowed) {
    return json_error(allowed.error());
  }
  auto object = context.vault.get_object(*bucket, *key);
  if (!object) return json_error(object.error());
  if (!object->content_type.starts_with("image/") || object->size > kMaxImageBytes) {
    return json_error(415, "NotAnImage", "There is no thumbnail for this kind of file.");
  }
  const std::string name =
      context.thumbnails.name_for(*bucket, *key, object->version_id, object->etag, size);
  std::string jpeg = context.thumbnails.find(name);
  if (jpeg.empty()) {
    auto body = context.vault.open_body(*object, 0, object->size);
    if (!body) return json_error(body.error());
    auto image = read_all(**body, static_cast<size_t>(object->size));
    if (!image) return json_error(image.error());
    auto made = make_thumbnail(*image, size);
    if (!made) return json_error(415, "NotAnImage", made.error().message);
    jpeg = std::move(*made);
    (void)context.thumbnails.store(name, jpeg);  // a cache: failing to keep it is not an error
  }
  Response response;
  response.headers.add("content-type", "image/jpeg");
  // A URL naming the current ETag names this version's thumbnail for good; without it, the
  // URL names whatever the key holds, so the browser may keep it only briefly.
  const std::string* etag = find_param(context.request.params, "etag");
  response.headers.add("cache-control", etag && *etag == object->etag
                                            ? "private, max-age=31536000, immutable"
                                            : "private, max-age=60");
  response.headers.add("etag", "\"" + name + "\"");
  response.body = std::move(jpeg);
  return response;
}

}  // namespace cv::console
