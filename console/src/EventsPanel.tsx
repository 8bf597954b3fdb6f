import { FormEvent, useCallback, useEffect, useState } from "react";

import { ConsoleApi, EventRule, EventSetup } from "./api";
import { messageOf } from "./Dialog";
import { Check, Column, KeyFilterFields, RulePanel } from "./RulePanel";
import { describeKeyFilter, eventChoices, eventLabel } from "./rules";

const columns: Column<EventRule>[] = [
  { header: "Rule", cell: (rule) => rule.id },
  {
    header: "Events",
    cell: (rule) => (
      <ul className="plain">
        {rule.events.map((name) => (
          <li key={name}>{eventLabel(name)}</li>
        ))}
      </ul>
    ),
  },
  { header: "Objects", cell: (rule) => describeKeyFilter(rule.prefix, rule.suffix) },
  { header: "Target", cell: (rule) => rule.target },
];

const firstEvents = () => new Set([eventChoices[0].name]);

// A bucket's event notification rules: which events of which keys send a message to which of
// the server's targets; add one, remove one. The server checks each rule as S3 does (no two
// rules may share an event type for overlapping keys) and its error is shown as it comes.
export function EventsPanel({ api, bucket }: { api: ConsoleApi; bucket: string }) {
  const [setup, setSetup] = useState<EventSetup | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [id, setId] = useState("");
  const [events, setEvents] = useState<Set<string>>(firstEvents);
  const [prefix, setPrefix] = useState("");
  const [suffix, setSuffix] = useState("");
  const [target, setTarget] = useState("");

  const show = useCallback((next: EventSetup) => {
    setSetup(next);
    setTarget((chosen) => (next.targets.includes(chosen) ? chosen : (next.targets[0] ?? "")));
  }, []);
  useEffect(() => {
    api.eventRules(bucket).then(show, (caught) => setError(messageOf(caught)));
  }, [api, bucket, show]);

  function toggle(name: string, on: boolean) {
    const next = new Set(events);
    if (on) next.add(name);
    else next.delete(name);
    setEvents(next);
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    setError("");
    setStatus("");
    if (events.size === 0) {
      setError("Choose at least one event.");
      return;
    }
    const name = id.trim();
    try {
      show(await api.putEventRule(bucket, { id: name, events: [...events], prefix, suffix, target }));
      setId("");
      setEvents(firstEvents());
      setPrefix("");
      setSuffix("");
      setStatus(`Added the event rule “${name}”.`);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  const targets = setup?.targets ?? [];
  return (
    <RulePanel
      title="Event notifications"
      intro={
        <>
          When objects in this bucket change, the server sends a message to one of its
          notification targets (set up as <code>[notify.targets.NAME]</code> in its
          configuration).
        </>
      }
      noun="event rule"
      rules={setup?.rules ?? null}
      columns={columns}
      error={error}
      status={status}
      removeMessage={(rule) =>
        `Remove the rule “${rule.id}”? Its target gets no more messages about this bucket from it.`
      }
      onRemove={async (rule) => {
        show(await api.deleteEventRule(bucket, rule.id));
        setStatus(`Removed the event rule “${rule.id}”.`);
      }}
    >
      <form className="rule-form" aria-label="Add an event rule" onSubmit={add}>
        <h3>Add a rule</h3>
        {setup !== null && targets.length === 0 && (
          <p className="hint">
            This server has no notification targets yet: add one to its configuration file
            and restart it.
          </p>
        )}
        <label>
          Rule name
          <input value={id} onChange={(e) => setId(e.target.value)} required maxLength={255} />
        </label>
        <fieldset>
          <legend>Events</legend>
          {eventChoices.map((choice) => (
            <Check
              key={choice.name}
              label={choice.label}
              checked={events.has(choice.name)}
              onChange={(on) => toggle(choice.name, on)}
            />
          ))}
        </fieldset>
        <KeyFilterFields prefix={prefix} suffix={suffix} onPrefix={setPrefix} onSuffix={setSuffix} />
        <label>
          Target
          <select value={target} onChange={(e) => setTarget(e.target.value)} required>
            {targets.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={targets.length === 0}>
          Add event rule
        </button>
      </form>
    </RulePanel>
  );
}
