import { useCallback, useEffect, useId, useRef, useState } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { ConsoleApi } from "./api";
import { messageOf } from "./Dialog";
import {
  Alarm,
  AlarmTransition,
  ChartData,
  ChartSpec,
  Dashboard,
  DashboardRange,
  chartData,
  chartSpecs,
  dashboardRanges,
  fetchAlarmHistory,
  fetchDashboard,
  formatTick,
  formatWhen,
  hasPoints,
  latestValues,
  sinceText,
  sortAlarms,
  stateLabels,
  valueAgainstThreshold,
} from "./operations";
import { Notices } from "./RulePanel";

// How often the open page asks for new points.
const kRefreshMs = 15_000;

// Line colours, each at least 3:1 against the white chart background (WCAG 1.4.11), and a
// dash pattern each so that lines differ by more than colour.
const kColours = ["#1c56c4", "#b3261e", "#1b6e3a", "#7a3fa0", "#9a5200", "#00707a", "#4f5a66", "#a0306e"];
const kDashes = ["", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3"];

// The server's health at a glance (root only, #/dashboard): its alarms, then charts of the
// small time series it keeps itself over the chosen range; refreshed while open.
export function DashboardPage({ api }: { api: ConsoleApi }) {
  const [range, setRange] = useState<DashboardRange>("6h");
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  // The answer for the range; a later request's answer wins over an earlier one's.
  const load = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    fetchDashboard(api, range).then(
      (next) => {
        if (mine !== generation.current) return;
        setDashboard(next);
        setError("");
        setLoading(false);
      },
      (caught) => {
        if (mine !== generation.current) return;
        setError(messageOf(caught));
        setLoading(false);
      },
    );
  }, [api, range]);

  useEffect(() => {
    load();
    // Not while the tab is hidden: nobody is looking.
    const timer = window.setInterval(() => document.visibilityState !== "hidden" && load(), kRefreshMs);
    return () => window.clearInterval(timer);
  }, [load]);

  return (
    <DashboardView
      dashboard={dashboard}
      range={range}
      error={error}
      loading={loading}
      onRange={setRange}
      loadHistory={(name) => fetchAlarmHistory(api, name)}
    />
  );
}

// What the page shows for one answer of the server (no fetching here, so it renders in tests).
// While another range loads, the last answer stays (the alarms keep their open histories) and
// the charts say they are busy.
export function DashboardView({
  dashboard,
  range,
  error,
  loading = false,
  onRange,
  loadHistory,
}: {
  dashboard: Dashboard | null;
  range: DashboardRange;
  error: string;
  loading?: boolean;
  onRange: (range: DashboardRange) => void;
  loadHistory: (name: string) => Promise<AlarmTransition[]>;
}) {
  return (
    <section className="panel dashboard">
      <div className="bucket-head">
        <h1>Dashboard</h1>
        <div className="segmented" role="group" aria-label="Time range">
          {dashboardRanges.map((choice) => (
            <button
              key={choice.range}
              aria-pressed={range === choice.range}
              aria-label={`${choice.range}: last ${choice.label}`}
              onClick={() => onRange(choice.range)}
            >
              {choice.range}
            </button>
          ))}
        </div>
      </div>
      <Notices error={error} />
      {dashboard === null ? (
        !error && <p>Loading…</p>
      ) : (
        <>
          <AlarmsPanel alarms={dashboard.alarms} loadHistory={loadHistory} />
          <h2>Metrics</h2>
          {hasPoints(dashboard) ? (
            <p className="hint">
              One point every {dashboard.resolution_seconds} s over the last{" "}
              {dashboardRanges.find((choice) => choice.range === dashboard.range)?.label ?? dashboard.range}, kept by
              the server itself (no Prometheus needed). Times are your browser's.
            </p>
          ) : (
            <p className="empty" role="status" data-testid="collecting">
              Collecting data: the first points appear after one sample interval.
            </p>
          )}
          <div className="charts" aria-busy={loading}>
            {chartSpecs.map((spec) => (
              <Chart key={spec.id} spec={spec} data={chartData(dashboard.series, spec)} />
            ))}
          </div>
          {dashboard.storage && <StoragePanel storage={dashboard.storage} />}
        </>
      )}
    </section>
  );
}

// Where this server keeps its data: the metadata store and the object bodies (a folder of
// its own, or a bucket of an S3 endpoint shared with other servers).
export function StoragePanel({ storage }: { storage: { metadata: string; bodies: string } }) {
  const titleId = useId();
  return (
    <section className="storage" aria-labelledby={titleId}>
      <h2 id={titleId}>Storage</h2>
      <dl className="details">
        <dt>Metadata</dt>
        <dd data-testid="storage-metadata">{storage.metadata}</dd>
        <dt>Object bodies</dt>
        <dd data-testid="storage-bodies">{storage.bodies}</dd>
      </dl>
    </section>
  );
}

// The alarms, those in ALARM first: each with its state in words (and colour), what it watches,
// its value against its threshold and since when; its history on request.
export function AlarmsPanel({
  alarms,
  loadHistory,
}: {
  alarms: Alarm[];
  loadHistory: (name: string) => Promise<AlarmTransition[]>;
}) {
  const titleId = useId();
  const firing = alarms.filter((alarm) => alarm.state === "ALARM" && alarm.enabled).length;
  return (
    <section className="alarms" aria-labelledby={titleId}>
      <h2 id={titleId}>Alarms</h2>
      <p className="hint">
        {alarms.length === 0
          ? "No alarms are set up."
          : firing === 0
            ? "No alarm is firing."
            : `${firing} ${firing === 1 ? "alarm is" : "alarms are"} firing.`}
      </p>
      <ul className="plain alarm-list">
        {sortAlarms(alarms).map((alarm) => (
          <AlarmItem key={alarm.name} alarm={alarm} loadHistory={loadHistory} />
        ))}
      </ul>
    </section>
  );
}

function AlarmItem({
  alarm,
  loadHistory,
}: {
  alarm: Alarm;
  loadHistory: (name: string) => Promise<AlarmTransition[]>;
}) {
  const [history, setHistory] = useState<AlarmTransition[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState("");
  const historyId = useId();

  async function toggle() {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    setError("");
    try {
      setHistory(await loadHistory(alarm.name));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <li className="alarm" data-alarm={alarm.name}>
      <div className="alarm-line">
        <span className={`badge state-${alarm.state.toLowerCase()}`} data-testid="alarm-state">
          {stateLabels[alarm.state]}
        </span>
        <strong className="alarm-name">{alarm.name}</strong>
        {!alarm.enabled && <span className="hint">(turned off)</span>}
        <button
          className="small"
          aria-expanded={open}
          aria-controls={historyId}
          aria-label={`History of ${alarm.name}`}
          onClick={toggle}
        >
          History
        </button>
      </div>
      <p className="alarm-description">{alarm.description}</p>
      <p className="hint">
        Value: {valueAgainstThreshold(alarm)}
        {alarm.since !== null && alarm.since !== undefined && <>, {stateLabels[alarm.state]} {sinceText(alarm)}</>}
        {alarm.reason && <> · {alarm.reason}</>}
      </p>
      <div id={historyId} hidden={!open}>
        {open && <Notices error={error} />}
        {open && history === null && !error && <p className="hint">Loading…</p>}
        {open && history !== null && <AlarmHistoryTable name={alarm.name} history={history} />}
      </div>
    </li>
  );
}

export function AlarmHistoryTable({ name, history }: { name: string; history: AlarmTransition[] }) {
  if (history.length === 0) return <p className="hint">{name} has not changed state yet.</p>;
  return (
    <table className="listing history">
      <caption className="sr-only">State changes of {name}, newest first</caption>
      <thead>
        <tr>
          <th>Time</th>
          <th>Change</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {history.map((entry) => (
          <tr key={entry.id}>
            <td className="state">{formatWhen(entry.time)}</td>
            <td className="state">
              {stateLabels[entry.old_state]} → {stateLabels[entry.new_state]}
            </td>
            <td>{entry.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// One chart: a heading, what it shows, the chart (described by both), and the latest value of
// each line in text.
export function Chart({ spec, data }: { spec: ChartSpec; data: ChartData }) {
  const titleId = useId();
  const descriptionId = useId();
  const latest = latestValues(data);
  const empty = data.rows.length === 0;
  return (
    <section className="chart" aria-labelledby={titleId} data-chart={spec.id}>
      <h3 id={titleId}>{spec.title}</h3>
      <p className="hint" id={descriptionId}>
        {spec.description}
      </p>
      {empty ? (
        <p className="hint no-data">No points in this range.</p>
      ) : (
        <figure aria-labelledby={titleId} aria-describedby={descriptionId} className="chart-figure">
          <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 480, height: 220 }}>
            {spec.kind === "stacked-area" ? (
              <AreaChart
                data={data.rows}
                margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
                title={spec.title}
                desc={spec.description}
                aria-label={`${spec.title} chart`}
              >
                <CartesianGrid stroke="#e3e6ea" />
                {timeAxis(data.rows)}
                <YAxis tickFormatter={spec.format} width={88} stroke="#4f5a66" fontSize={12} />
                <Tooltip labelFormatter={(time) => formatWhen(Number(time))} formatter={tooltipValue(spec)} />
                <Legend />
                {data.keys.map((key, i) => (
                  <Area
                    key={key}
                    dataKey={key}
                    name={key}
                    stackId="stack"
                    type="monotone"
                    stroke={kColours[i % kColours.length]}
                    fill={kColours[i % kColours.length]}
                    fillOpacity={0.35}
                    isAnimationActive={false}
                  />
                ))}
              </AreaChart>
            ) : (
              <LineChart
                data={data.rows}
                margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
                title={spec.title}
                desc={spec.description}
                aria-label={`${spec.title} chart`}
              >
                <CartesianGrid stroke="#e3e6ea" />
                {timeAxis(data.rows)}
                <YAxis tickFormatter={spec.format} width={88} stroke="#4f5a66" fontSize={12} />
                <Tooltip labelFormatter={(time) => formatWhen(Number(time))} formatter={tooltipValue(spec)} />
                {data.keys.length > 1 && <Legend />}
                {data.keys.map((key, i) => (
                  <Line
                    key={key}
                    dataKey={key}
                    name={key}
                    type="monotone"
                    stroke={kColours[i % kColours.length]}
                    strokeDasharray={kDashes[i % kDashes.length] || undefined}
                    strokeWidth={2}
                    dot={data.rows.length === 1}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            )}
          </ResponsiveContainer>
        </figure>
      )}
      {latest.length > 0 && (
        <dl className="latest" aria-label={`${spec.title}, latest values`}>
          {latest.map(({ key, value }) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{value === null ? "no value" : spec.format(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function timeAxis(rows: ChartData["rows"]) {
  const span = rows.length > 1 ? rows[rows.length - 1].time - rows[0].time : 0;
  return (
    <XAxis
      dataKey="time"
      type="number"
      scale="time"
      domain={["dataMin", "dataMax"]}
      tickFormatter={(time) => formatTick(Number(time), span)}
      minTickGap={40}
      stroke="#4f5a66"
      fontSize={12}
    />
  );
}

function tooltipValue(spec: ChartSpec) {
  return (value: unknown) => (typeof value === "number" ? spec.format(value) : "no value");
}
