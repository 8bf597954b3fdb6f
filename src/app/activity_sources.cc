#include "app/activity_sources.h"

#include <algorithm>

#include "app/remote_trail_source.h"
#include "app/vault_trail_source.h"

namespace cv::app {

Result<std::unique_ptr<activity::TrailSource>> open_trail_source(const Config& config,
                                                                 vault::Vault& vault,
                                                                 const ActivityIngestFlags& flags,
                                                                 const Clock& clock) {
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
    auto remote = std::find_if(
        config.replication_remotes.begin(), config.replication_remotes.end(),
        [&](const ReplicationRemote& candidate) { return candidate.name == *flags.remote; });
    if (remote == config.replication_remotes.end()) {
      return fail(ErrorCode::kInvalidArgument,
                  "no [replication.remotes." + *flags.remote + "] in the configuration");
    }
    remote::RemoteEndpoint endpoint{.url = remote->endpoint,
                                    .region = remote->region,
                                    .access_key = remote->access_key,
                                    .secret_key = remote->secret_key,
                                    .path_style = remote->path_style,
                                    .verify_tls = remote->verify_tls,
                                    .ca_file = remote->ca_file};
    if (flags.role_arn) {
      return fail(ErrorCode::kInvalidArgument, "--role-arn is not supported yet");
    }
    auto client = remote::RemoteS3Client::create(std::move(endpoint), clock);
    if (!client) return std::unexpected(client.error().error);
    return std::unique_ptr<activity::TrailSource>(std::make_unique<RemoteTrailSource>(
        std::move(*client), *flags.remote, std::move(*location)));
  }
  return std::unique_ptr<activity::TrailSource>(
      std::make_unique<VaultTrailSource>(vault, std::move(*location)));
}

}  // namespace cv::app
