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

// kInvalidArgument for a flag combination or remote that does not exist. The vault
// outlives the source.
Result<std::unique_ptr<activity::TrailSource>> open_trail_source(const Config& config,
                                                                 vault::Vault& vault,
                                                                 const ActivityIngestFlags& flags);

}  // namespace cv::app
