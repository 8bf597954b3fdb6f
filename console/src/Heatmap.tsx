import { cloneElement } from "react";
import { ActivityCalendar } from "react-activity-calendar";
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { ActivitySummary, ServiceScore, dayTooltip, plural } from "./activity";

// GitHub's five greens, level 0 (no activity) to 4.
const kLevels = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"];

// The year's heatmap: one cell per day of the summary (53 weeks × 7 days for a year), the
// level the server computed, the day's score and top services in the tooltip and label.
export function Heatmap({ summary }: { summary: ActivitySummary }) {
  const byDate = new Map(summary.days.map((day) => [day.date, day]));
  const data = summary.days.map((day) => ({ date: day.date, count: day.count, level: day.level }));
  return (
    <figure className="heatmap" aria-label={`Activity of ${summary.profile}`}>
      <ActivityCalendar
        data={data}
        maxLevel={4}
        colorScheme="light"
        theme={{ light: kLevels }}
        showWeekdayLabels
        labels={{ totalCount: `{{count}} events from ${summary.from} to ${summary.to}` }}
        tooltips={{ activity: { text: (a) => dayTooltip(byDate.get(a.date), a.date) } }}
        renderBlock={(block, activity) =>
          cloneElement(block, {
            "aria-label": dayTooltip(byDate.get(activity.date), activity.date),
            role: "img",
          })
        }
      />
    </figure>
  );
}

export function Totals({ summary }: { summary: ActivitySummary }) {
  return (
    <dl className="totals">
      <div>
        <dt>Score</dt>
        <dd data-testid="total-score">{summary.totals.score}</dd>
      </div>
      <div>
        <dt>Events</dt>
        <dd data-testid="total-events">{summary.totals.events}</dd>
      </div>
      <div>
        <dt>Active days</dt>
        <dd data-testid="active-days">{summary.totals.activeDays}</dd>
      </div>
      <div>
        <dt>Current streak</dt>
        <dd data-testid="current-streak">{plural(summary.streaks.current, "day", "days")}</dd>
      </div>
      <div>
        <dt>Longest streak</dt>
        <dd data-testid="longest-streak">{plural(summary.streaks.longest, "day", "days")}</dd>
      </div>
    </dl>
  );
}

// Score per service over the range, best first.
export function ServiceChart({ services }: { services: ServiceScore[] }) {
  if (services.length === 0) return <p className="hint">No scored activity in this range.</p>;
  const height = 40 + services.length * 28;
  return (
    <figure className="service-chart" aria-label="Score by service">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={services} layout="vertical" margin={{ left: 24, right: 24 }}>
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="service" width={110} />
          <Tooltip />
          <Bar dataKey="score" fill="#30a14e" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <table className="sr-only">
        <caption>Score by service</caption>
        <tbody>
          {services.map((s) => (
            <tr key={s.service}>
              <th scope="row">{s.service}</th>
              <td>{s.score}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
