// SQL for the outbox: events, consumer positions and the tasks consumers derive from events
// (see MetaStore, "The outbox"). Writes run on the writer connection inside the change's
// transaction; reads on a reader connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

Status append_event(Connection& db, const Event& event);
Result<std::vector<Event>> read_events(Connection& db, int64_t after_seq, size_t max);

Result<int64_t> write_consumer_registration(Connection& db, std::string_view consumer);
// The consumer's position when it is registered; nullopt otherwise.
Result<std::optional<int64_t>> read_consumer_registration(Connection& db,
                                                          std::string_view consumer);
Result<int64_t> read_consumer_position(Connection& db, std::string_view consumer);
Status write_consumer_advance(Connection& db, std::string_view consumer, int64_t from_seq,
                              int64_t to_seq, const std::vector<OutboxTask>& tasks);
Result<std::vector<OutboxTask>> read_due_tasks(Connection& db, std::string_view consumer,
                                               std::string_view target, int64_t now_ns,
                                               size_t max);
Result<std::vector<std::string>> read_pending_targets(Connection& db, std::string_view consumer);
Result<std::vector<OutboxTask>> read_tasks_with_payload(Connection& db, std::string_view consumer,
                                                        std::string_view target,
                                                        std::string_view payload, size_t max);
Status remove_tasks(Connection& db, const std::vector<int64_t>& task_ids);
Status write_task_attempts(Connection& db, const std::vector<OutboxTask>& tasks);
Result<std::vector<OutboxTask>> read_tasks(Connection& db, std::string_view consumer,
                                           bool failed_only, int64_t after_id, size_t max);
Result<uint64_t> write_task_retry(Connection& db, std::string_view consumer, int64_t task_id,
                                  int64_t now_ns);
Result<uint64_t> remove_old_events(Connection& db, int64_t before_ns, size_t max);

}  // namespace cv::meta::sqlite
