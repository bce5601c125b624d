import { Counter, register } from 'prom-client';

/**
 * Business counters, registered once per process in prom-client's default
 * registry, which GET /metrics serves (with request rate/latency/errors and
 * process metrics). Names follow Prometheus conventions: `burger_<what>_total`.
 */
export function businessCounter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames: [...labelNames] });
}

/** Every event a subscriber handled, by topic and outcome (SUCCESS / RETRY / DROP): dead letters and retries show here. */
export const eventsHandled = businessCounter('burger_events_handled_total', 'Events delivered to this app, by topic and outcome', ['topic', 'outcome'] as const);
