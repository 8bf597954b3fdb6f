// A bucket's replication configuration (S3's ReplicationConfiguration as plain values), the
// checks S3 makes on the document alone, a JSON codec for storing it as a bucket config
// document (kind "replication"), and the matching the replication worker runs per version.
// The checks that need other buckets (versioning of source and destination, that a local
// destination exists, that a remote is configured) are Vault::put_replication's.
//
// Destinations: `Bucket` is always an S3 bucket ARN, "arn:aws:s3:::NAME". Without `Account`
// the bucket is on this server; with `<Account>REMOTE</Account>` it is bucket NAME on the
// remote S3 endpoint configured as [replication.remotes.REMOTE] (docs/S3_COMPATIBILITY.md).
//
// Our extensions ("file type filtering"), carried as filter tags with reserved keys so that
// the aws CLI and boto3 send them unmodified; they are never compared with object tags:
//   cloudvault:suffix        the key ends with the value (ASCII case-insensitive: ".jpg"
//                            matches "IMG_1.JPG")
//   cloudvault:content-type  the version's Content-Type, without parameters and
//                            case-insensitive, is the value ("application/pdf"), or is of
//                            the value's family when it ends in "/*" ("image/*")
//
// Everything here is pure: no I/O, no clock, no locks; thread-safe on distinct or const data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

inline constexpr std::string_view kReplicationSuffixTag = "cloudvault:suffix";
inline constexpr std::string_view kReplicationContentTypeTag = "cloudvault:content-type";
inline constexpr std::string_view kS3BucketArnPrefix = "arn:aws:s3:::";
inline constexpr size_t kMaxReplicationRules = 1000;
// Written with a configuration that has rules with ExistingObjectReplication Enabled; its
// detail names them ({"rules":["id",...]}). The replication worker then queues every version
// written before, each with a kReplicationExistingEvent (never sent as a notification).
inline constexpr std::string_view kReplicationBackfillEvent = "cloudvault:Replication:Backfill";
inline constexpr std::string_view kReplicationExistingEvent = "cloudvault:Replication:Existing";

// Which versions a rule applies to.
struct ReplicationFilter {
  // How the rule was written, so that GetBucketReplication answers what was put.
  enum class Shape {
    kRulePrefix,  // V1: <Rule><Prefix> (or neither Prefix nor Filter), no <Filter>
    kEmpty,       // <Filter/>
    kPrefix,      // <Filter><Prefix>
    kTag,         // <Filter><Tag>
    kAnd,         // <Filter><And><Prefix/><Tag/>...</And>
  };
  Shape shape = Shape::kEmpty;
  std::string prefix;
  // As written, our reserved keys included; each must hold (object tags: same value).
  meta::StringPairs tags;

  // Whether the rule is written in S3's V2 schema (has a <Filter>).
  bool is_v2() const { return shape != Shape::kRulePrefix; }
  // Object tags the filter names (the reserved keys excluded).
  bool has_object_tags() const;
  bool has_content_type() const;
  bool matches(std::string_view key, const meta::StringPairs& object_tags,
               std::string_view content_type) const;
};

// A status element that may be absent (<X><Status>Enabled|Disabled</Status></X>).
using OptionalStatus = std::optional<bool>;  // nullopt: element absent; true: Enabled

// <Destination><Metrics> / <ReplicationTime>: accepted and kept, not acted on.
struct ReplicationTimeSetting {
  bool enabled = false;
  std::optional<int32_t> minutes;  // EventThreshold / Time <Minutes>
};

struct ReplicationDestination {
  std::string bucket_arn;                         // as given: "arn:aws:s3:::NAME"
  std::string account;                            // empty: this server; else the remote's name
  std::string storage_class;                      // empty: the source version's class
  std::optional<std::string> replica_kms_key_id;  // <EncryptionConfiguration>: kept only
  std::optional<std::string> owner_override;      // <AccessControlTranslation><Owner>
  std::optional<ReplicationTimeSetting> replication_time;
  std::optional<ReplicationTimeSetting> metrics;

  // The bucket name of the ARN ("" when bucket_arn is not an S3 bucket ARN).
  std::string bucket_name() const;
  bool is_remote() const { return !account.empty(); }
  // The identity of the destination: remote ("" for local) and bucket.
  bool same_place(const ReplicationDestination& other) const {
    return account == other.account && bucket_name() == other.bucket_name();
  }
};

struct ReplicationRule {
  std::string id;                   // 1..255 characters, unique; made up when absent
  std::optional<int32_t> priority;  // V2: required, unique, higher wins
  bool enabled = true;
  ReplicationFilter filter;
  ReplicationDestination destination;
  OptionalStatus delete_marker_replication;    // V2 only (V1 replicates delete markers)
  OptionalStatus existing_object_replication;  // backfill of versions older than the rule
  // <SourceSelectionCriteria>: accepted and kept (no KMS here; replica changes are not
  // synced back).
  OptionalStatus sse_kms_encrypted_objects;
  OptionalStatus replica_modifications;

  // Whether delete markers are replicated under this rule: V1 always, V2 when Enabled.
  bool replicates_delete_markers() const {
    return !filter.is_v2() || delete_marker_replication.value_or(false);
  }
};

// The remote S3 endpoints replication may write to ([replication.remotes.NAME] in the
// server's configuration), as the vault needs to know them when a configuration is put.
// Implemented in app/ from the configuration. Thread-safe: called from many threads.
class ReplicationRemoteCatalog {
 public:
  virtual ~ReplicationRemoteCatalog() = default;
  // Whether a remote of this name is configured.
  virtual bool has_remote(std::string_view name) const = 0;
};

// A catalog without remotes: every remote destination is refused.
class NoReplicationRemotes final : public ReplicationRemoteCatalog {
 public:
  bool has_remote(std::string_view) const override { return false; }
};

struct ReplicationConfiguration {
  std::string role;  // kept as given, not used
  std::vector<ReplicationRule> rules;
};

// S3's checks on the document: 1..1000 rules (MalformedXML without any; InvalidRequest over
// 1000), unique IDs of at most 255 characters (InvalidArgument), V1 and V2 rules not mixed,
// Priority and DeleteMarkerReplication required in V2 and refused in V1, unique priorities,
// no delete marker replication with a tag filter (InvalidRequest), no duplicate tag keys,
// the destination an "arn:aws:s3:::" ARN of a valid bucket name (InvalidArgument), a
// storage class S3 knows (MalformedXML; InvalidStorageClass for one this server does not
// keep, for a local destination), AccessControlTranslation only with Account and Owner
// "Destination", our reserved filter keys with non-empty values.
Status validate(const ReplicationConfiguration& config);

// A rule id for a rule that came without one: 48 random characters, as S3 makes up.
std::string new_replication_rule_id();

// Stored form (bucket config kind "replication"). replication_from_json fails with
// InternalError on a document it cannot read (it was written by to_json).
std::string to_json(const ReplicationConfiguration& config);
Result<ReplicationConfiguration> replication_from_json(std::string_view json);

// The rules that apply to one version of `key` (with its tags and Content-Type), one per
// destination: of the Enabled rules whose filter matches, for every distinct destination the
// one with the highest Priority (V1 rules: the first in order) — AWS's multi-destination
// semantics. A delete marker (no tags, no content type) is replicated to a destination only
// when that rule replicates delete markers. Pointers into `config`, in configuration order;
// valid while `config` lives unchanged.
std::vector<const ReplicationRule*> replication_targets(const ReplicationConfiguration& config,
                                                        std::string_view key,
                                                        const meta::StringPairs& tags,
                                                        std::string_view content_type,
                                                        bool is_delete_marker);

}  // namespace cv::vault
