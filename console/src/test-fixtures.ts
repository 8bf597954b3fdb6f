// Test data shared by the unit tests.
import { Alarm } from "./operations";

// A default alarm as the server answers it, with some fields changed.
export const alarm = (overrides: Partial<Alarm> = {}): Alarm => ({
  name: "disk-free-low",
  description: "Free space in a data folder is below 10%",
  source: "default",
  enabled: true,
  state: "OK",
  since: Date.UTC(2026, 11, 7, 2, 10, 0),
  reason: "",
  value: 0.42,
  value_text: "42%",
  threshold: 0.1,
  threshold_text: "10%",
  comparison: "less than",
  metric: "cloudvault_disk_free_ratio",
  statistic: "Minimum",
  period_seconds: 60,
  evaluation_periods: 1,
  datapoints_to_alarm: 1,
  targets: [],
  ...overrides,
});
