// Which activity::TrailSource an ingest reads: a folder; s3://BUCKET/PREFIX of this server's
// own store (through the vault); or, with --remote NAME, of a [replication.remotes.NAME]
// endpoint (with --role-arn: as the role, through STS AssumeRole).
#pragma once

#include <memory>

#include "activity/trail_source.h"
#include "app/commands.h"
#include "app/config.h"
#include "vault/vault.h"

namespace cv::app {

// One entry of [activity] sources as the ingest flags it stands for: a folder or
// s3://BUCKET/PREFIX, optionally followed by "?remote=NAME" and "&role_arn=ARN" (a bucket on a
// [replication.remotes.NAME] endpoint, read as the role). kInvalidArgument for another
// parameter, or one given twice or empty.
Result<ActivityIngestFlags> source_flags(std::string_view spec);

// kInvalidArgument for a flag combination or remote that does not exist; the STS error when
// the role cannot be assumed. The vault and clock outlive the source; `config`'s remote
// secrets are open (open_sealed_values).
Result<std::unique_ptr<activity::TrailSource>> open_trail_source(const Config& config,
                                                                 vault::Vault& vault,
                                                                 const ActivityIngestFlags& flags,
                                                                 const Clock& clock);

}  // namespace cv::app
