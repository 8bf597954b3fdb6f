// S3's event notification message: the JSON a notification target receives for one outbox
// event and one matching rule, exactly as S3 documents it ("Event message structure"), and
// the s3:TestEvent message S3 sends when a configuration is saved.
//
// Pure functions of their arguments: no I/O, no clock; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "meta/types.h"

namespace cv::workers::notify {

// What the message says besides the event itself.
struct EventMessageContext {
  std::string region;            // awsRegion
  std::string bucket_owner_id;   // s3.bucket.ownerIdentity.principalId
  std::string configuration_id;  // s3.configurationId: the Id of the rule that matched
  // responseElements.x-amz-id-2 ("the Amazon S3 host that processed the request"); when
  // empty, the event's request id is written there too.
  std::string host_id;
};

// eventVersion by event type, as S3 uses them: "2.2" for s3:Replication:*; "2.3" for
// s3:LifecycleTransition, s3:LifecycleExpiration:*, s3:IntelligentTiering, s3:ObjectTagging:*,
// s3:ObjectAcl:Put and s3:ObjectRestore:Delete; "2.1" for everything else (object created,
// removed, restore Post/Completed, ...). (S3 documents restore *delete* events alone as 2.3;
// Post and Completed stay 2.1, Completed with glacierEventData.)
std::string_view event_message_version(std::string_view event_name);

// s3.object.key as S3 writes it: URL form encoding of the UTF-8 bytes, slashes kept (a space
// is '+', A-Z a-z 0-9 - _ . * / stay, every other byte is %XX in uppercase hex:
// "photos/my cat=1.jpg" is "photos/my+cat%3D1.jpg").
std::string event_message_key(std::string_view key);

// {"Records":[{...}]} for `event` (its name with "s3:"): eventVersion, eventSource "aws:s3",
// awsRegion, eventTime (ISO-8601 UTC with milliseconds), eventName without "s3:",
// userIdentity.principalId, requestParameters.sourceIPAddress, responseElements
// (x-amz-request-id, x-amz-id-2), s3 {s3SchemaVersion "1.0", configurationId, bucket {name,
// ownerIdentity.principalId, arn "arn:aws:s3:::NAME"}, object {key, size, eTag, versionId,
// sequencer}}. As S3 does:
//  - size and eTag are left out for removals (s3:ObjectRemoved:*, s3:LifecycleExpiration:*);
//  - versionId is left out for unversioned objects (version "null");
//  - background changes (no principal: lifecycle, restores) name "s3.amazonaws.com" as the
//    principal and the source address;
//  - s3:ObjectRestore:Completed adds glacierEventData.restoreEventData {lifecycleRestoration
//    ExpiryTime (from the detail's "restore_expiry_ns", left out when absent),
//    lifecycleRestoreStorageClass (the event's storage class)};
//  - s3:LifecycleTransition adds lifecycleEventData.transitionEventData.destinationStorageClass
//    (the detail's "to", else the event's storage class);
//  - s3:Replication:* adds replicationEventData from the detail's members (replicationRuleId,
//    destinationBucket, s3Operation, requestTime, failureReason, threshold, replicationTime),
//    each present only when the detail has it.
std::string event_message(const meta::Event& event, const EventMessageContext& context);

// {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"...","Bucket":"...",
//  "RequestId":"...","HostId":"..."}: what S3 sends each destination when a notification
// configuration is saved.
std::string test_event_message(std::string_view bucket, int64_t time_ns,
                               std::string_view request_id, std::string_view host_id);

}  // namespace cv::workers::notify
