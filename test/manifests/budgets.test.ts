import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Budgets, minimumAbandonedPaymentAgeMs, worstCaseMs } from '@burger/contracts';

const ROOT = join(import.meta.dirname, '..', '..');

interface Resiliency {
  spec: {
    policies: { timeouts: Record<string, string>; retries: Record<string, { policy: string; duration?: string; maxRetries: number }> };
    targets: {
      apps: Record<string, { timeout: string; retry: string }>;
      components: Record<string, { outbound?: { timeout: string; retry: string } }>;
    };
  };
}

/** Dapr's duration notation as used in our Resiliency: `200ms`, `2s`. */
function ms(duration: string): number {
  const match = /^(\d+)(ms|s)$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * (match[2] === 's' ? 1_000 : 1);
}

function budgetOf(resiliency: Resiliency, target: { timeout: string; retry: string }) {
  const retry = resiliency.spec.policies.retries[target.retry]!;
  expect(retry.policy, 'a constant retry, so the worst case is timeout × attempts + pauses').toBe('constant');
  return {
    timeoutMs: ms(resiliency.spec.policies.timeouts[target.timeout]!),
    retries: retry.maxRetries,
    retryDelayMs: ms(retry.duration!),
  };
}

/** One place defines the budgets (packages/contracts/src/budgets.ts); the YAML the sidecars run must agree. */
describe('budgets agree with the Resiliency the sidecars run', () => {
  const resiliency = parse(readFileSync(join(ROOT, 'dapr-config/resiliency/resiliency.yaml'), 'utf8')) as Resiliency;

  it('order → pay: timeout, retries and pause as in Budgets.payCall; order waits longer than the sidecar', () => {
    expect(budgetOf(resiliency, resiliency.spec.targets.apps.pay!)).toEqual(Budgets.payCall);
    expect(Budgets.payWaitMs).toBeGreaterThanOrEqual(worstCaseMs(Budgets.payCall));
  });

  it('orderstore: timeout, retries and pause as in Budgets.storageCall', () => {
    expect(budgetOf(resiliency, resiliency.spec.targets.components.orderstore!.outbound!)).toEqual(Budgets.storageCall);
  });

  it('the gateway waits longer than order waits for pay', () => {
    expect(Budgets.gatewayRequestMs).toBeGreaterThan(Budgets.payWaitMs);
  });

  it('the abandoned-payment age is derived from them: 12 s + 8 s + 4 × 5 s + 3 × 0.2 s + 5 s', () => {
    expect(minimumAbandonedPaymentAgeMs()).toBe(45_600);
  });
});
