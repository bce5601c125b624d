import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const DIR = join(import.meta.dirname, '..', '..', 'k8s', 'observability');

interface Rules {
  spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
}

interface Dashboard {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
}

/** Every PromQL expression of the alert rules and the Grafana dashboard, with where it comes from. */
export function monitoringQueries(): Array<{ where: string; expr: string }> {
  const rules = parse(readFileSync(join(DIR, 'prometheus-rules.yaml'), 'utf8')) as Rules;
  const dashboard = JSON.parse(readFileSync(join(DIR, 'burger-dashboard.json'), 'utf8')) as Dashboard;
  return [
    ...rules.spec.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }))),
    ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
  ];
}

/** Metric names the queries read, by prefix (as written: a histogram's `_bucket`, a counter's `_total` or `_count`). */
export function referencedMetrics(prefix: 'burger_' | 'dapr_' | 'kafka_'): Map<string, string[]> {
  const families = new Map<string, string[]>();
  for (const { where, expr } of monitoringQueries()) {
    for (const [name] of expr.matchAll(new RegExp(`\\b${prefix}[a-z0-9_]+`, 'g'))) {
      families.set(name, [...(families.get(name) ?? []), where]);
    }
  }
  return families;
}
