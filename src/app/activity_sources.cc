#include "app/activity_sources.h"

#include <algorithm>

#include "app/remote_trail_source.h"
#include "app/vault_trail_source.h"
#include "remote/sts_client.h"

namespace cv::app {
namespace {

// Where a remote's STS lives: AWS's regional endpoint for an AWS S3 endpoint, else the
// remote's own URL (an S3 server that serves STS on the same port, as CloudVault will).
std::string sts_url_for(const ReplicationRemote& remote) {
  if (remote.endpoint.find("amazonaws.com") != std::string::npos) {
    return "https://sts." + remote.region + ".amazonaws.com";
  }
  return remote.endpoint;
}

}  // namespace

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
      auto assumed = remote::assume_role(remote::AssumeRoleRequest{.sts_url = sts_url_for(*remote),
                                                                   .region = remote->region,
                                                                   .access_key = remote->access_key,
                                                                   .secret_key = remote->secret_key,
                                                                   .role_arn = *flags.role_arn,
                                                                   .verify_tls = remote->verify_tls,
                                                                   .ca_file = remote->ca_file},
                                         clock);
      if (!assumed) return std::unexpected(assumed.error().error);
      endpoint.access_key = assumed->access_key_id;
      endpoint.secret_key = assumed->secret_key;
      endpoint.session_token = assumed->session_token;
    }
    auto client = remote::RemoteS3Client::create(std::move(endpoint), clock);
    if (!client) return std::unexpected(client.error().error);
    return std::unique_ptr<activity::TrailSource>(std::make_unique<RemoteTrailSource>(
        std::move(*client), *flags.remote, std::move(*location)));
  }
  return std::unique_ptr<activity::TrailSource>(
      std::make_unique<VaultTrailSource>(vault, std::move(*location)));
}

Result<ActivityIngestFlags> source_flags(std::string_view spec) {
  ActivityIngestFlags flags;
  const size_t question = spec.starts_with("s3://") ? spec.find('?') : std::string_view::npos;
  flags.from = std::string(spec.substr(0, question));
  if (question == std::string_view::npos) return flags;
  std::string_view rest = spec.substr(question + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    std::optional<std::string>* slot = name == "remote"     ? &flags.remote
                                       : name == "role_arn" ? &flags.role_arn
                                                            : nullptr;
    if (slot == nullptr || value.empty() || slot->has_value()) {
      return fail(ErrorCode::kInvalidArgument,
                  "activity source " + std::string(spec) +
                      ": only remote=NAME and role_arn=ARN may follow '?', once each");
    }
    *slot = std::string(value);
  }
  return flags;
}

}  // namespace cv::app
