// An AuditEvent as the MetaStore keeps it (meta::TrailRecord): the CloudTrail record's JSON
// and the fields lookups filter on. Used by the trail writer and by CLI processes that append
// their own records (admin verbs) straight to the store.
// Pure but for the event id: an event without one gets a fresh random (version 4) UUID.
#pragma once

#include <string>

#include "audit/cloudtrail_record.h"
#include "meta/trail_types.h"

namespace cv::audit {

// `event` with its event id filled when empty, as a spool record. The record's user name is
// userIdentity.userName, "root" for the root user.
meta::TrailRecord spool_record(AuditEvent event);

}  // namespace cv::audit
