#include "app/activity_sources.h"

#include "app/vault_trail_source.h"

namespace cv::app {

Result<std::unique_ptr<activity::TrailSource>> open_trail_source(const Config& config,
                                                                 vault::Vault& vault,
                                                                 const ActivityIngestFlags& flags) {
  auto location = parse_s3_location(flags.from);
  if (!location) {
    if (flags.remote || flags.role_arn) {
      return fail(ErrorCode::kInvalidArgument,
                  "--remote and --role-arn need --from s3://BUCKET/PREFIX");
    }
    if (flags.from.starts_with("s3://")) {
      return fail(ErrorCode::kInvalidArgument, "--from s3://BUCKET/PREFIX names no bucket");
    }
    return std::unique_ptr<activity::TrailSource>(
        std::make_unique<activity::FolderSource>(flags.from));
  }
  if (flags.role_arn && !flags.remote) {
    return fail(ErrorCode::kInvalidArgument, "--role-arn needs --remote NAME");
  }
  if (flags.remote) {
    return fail(ErrorCode::kInvalidArgument, "--remote is not supported yet");
  }
  return std::unique_ptr<activity::TrailSource>(
      std::make_unique<VaultTrailSource>(vault, std::move(*location)));
}

}  // namespace cv::app
