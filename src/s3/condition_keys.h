// The condition keys an S3 request carries, for the policy evaluator: global keys (aws:*)
// and S3's own (s3:prefix, s3:x-amz-acl, ...), by lower-case name as
// policy::ConditionKeys wants them. A key the request does not have is absent (what Null
// and ...IfExists test). s3:ExistingObjectTag/<k> needs the stored object: the authorizer
// adds it (add_existing_object_tags) only when a policy asks for it.
#pragma once

#include "core/clock.h"
#include "meta/types.h"
#include "policy/request_context.h"
#include "s3/call.h"

namespace cv::s3 {

// Keys from the request itself, the caller (`principal`) and the time `now`.
policy::ConditionKeys request_condition_keys(const Call& call, const policy::Principal& principal,
                                             TimePoint now);

// s3:ExistingObjectTag/<key> for every tag of `object`.
void add_existing_object_tags(const meta::ObjectVersion& object, policy::ConditionKeys& keys);

}  // namespace cv::s3
