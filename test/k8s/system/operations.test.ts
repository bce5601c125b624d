import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { json, kubectl, kubectlOutcome, NAMESPACE, pods, settled, staying, until } from '../cluster.js';
import { api, signIn } from '../gateway.js';

/**
 * The operations checkpoints, for real, on the node: a hung app is restarted by its
 * liveness probe; a rolling update of `order` under load loses no request; the HPA is
 * accepted and handled by the controller; a PodDisruptionBudget refuses an eviction.
 */
const run = promisify(execFile);
const ready = (pod: any) => staying(pod) && pod.status.containerStatuses?.every((s: any) => s.ready);

describe('operations on Kubernetes', () => {
  it('rolls order out under load (8 clients through the gateway) without losing a request', async () => {
    const before = (await pods('app=order')).map((p) => p.metadata.name);
    expect(before.length).toBe(2);
    const tokens = await Promise.all([signIn('kim'), signIn('lee')]);
    const outcomes: Array<{ status: number; ms: number }> = [];
    let loading = true;
    let rolloutStarted = 0;
    const since = () => (rolloutStarted ? `${((Date.now() - rolloutStarted) / 1000).toFixed(1)} s into the rollout` : 'before the rollout');
    const worker = async (w: number) => {
      while (loading) {
        const started = Date.now();
        const response = await api('POST', '/orders', tokens[w % 2]!.access_token, {
          storeId: 'jamsil',
          lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
        }).catch((error: unknown) => ({ status: 0, body: { error: String(error) } }));
        outcomes.push({ status: response.status, ms: Date.now() - started });
        if (response.status !== 201)
          console.log(
            `[rolling] failed ${since()} after ${Date.now() - started} ms: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`,
          );
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await new Promise((done) => setTimeout(done, 3_000));
    const started = Date.now();
    rolloutStarted = started;
    await kubectl(['-n', NAMESPACE, 'rollout', 'restart', 'deployment/order']);
    await kubectl(['-n', NAMESPACE, 'rollout', 'status', 'deployment/order', '--timeout=600s']);
    const rolloutMs = Date.now() - started;
    // The old pods serve on through their preStop: keep the load on until they are gone.
    await settled('app=order');
    const settledMs = Date.now() - started;
    loading = false;
    await load;

    const after = (await pods('app=order')).filter(ready).map((p) => p.metadata.name);
    const failed = outcomes.filter((o) => o.status !== 201);
    const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    console.log(
      `[rolling] rollout of 2 order pods took ${(rolloutMs / 1000).toFixed(1)} s, old pods gone after ${(settledMs / 1000).toFixed(1)} s; ${outcomes.length} orders, ${failed.length} failed, p99 ${sorted[Math.ceil(sorted.length * 0.99) - 1]} ms, max ${sorted.at(-1)} ms`,
    );
    expect(after.some((name) => before.includes(name))).toBe(false);
    expect(failed).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(50);
  }, 900_000);

  it('restarts a hung app: its liveness probe fails and the kubelet replaces the container', async () => {
    const [pod] = (await pods('app=notification')).filter(ready);
    const status = pod.status.containerStatuses.find((s: any) => s.name === 'notification');
    const containerId = status.containerID.replace('containerd://', '');
    // The app's process, as the host sees it (a signal from inside the pod cannot stop its PID 1).
    const tasks = (await run('ctr', ['--address', process.env.CONTAINERD_SOCK!, '-n', 'k8s.io', 'task', 'ls'])).stdout;
    const pid = tasks
      .split('\n')
      .find((line) => line.startsWith(containerId))
      ?.split(/\s+/)[1];
    expect(pid, `task of ${containerId}`).toMatch(/^\d+$/);
    process.kill(Number(pid), 'SIGSTOP');
    const restarted = await until(
      'the notification container restarted and ready',
      async () => {
        const now = await json(['-n', NAMESPACE, 'get', 'pod', pod.metadata.name]);
        const s = now.status.containerStatuses.find((c: any) => c.name === 'notification');
        return s.restartCount > status.restartCount && s.ready ? s : undefined;
      },
      300_000,
      3_000,
    );
    expect(restarted.lastState.terminated).toBeDefined();
    const events = (await json(['-n', NAMESPACE, 'get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`])).items;
    for (const e of events) console.log(`[liveness] ${e.type} ${e.reason} x${e.count ?? 1}: ${String(e.message).slice(0, 160)}`);
    // The kubelet's own account of the restart: a Normal event, "failed liveness probe, will be restarted".
    expect(events.some((e: any) => e.reason === 'Killing' && String(e.message).includes('failed liveness probe'))).toBe(true);
    // The probe's failure itself is a Warning, and the kubelet's event recorder lets through at most 25
    // Warnings per pod, then one per 5 minutes (client-go tools/record/events_cache.go: defaultSpamBurst,
    // defaultSpamQPS; the key is the object and the event type). A pod that started slowly has spent them on
    // readiness and startup probes, and then the liveness Warning is dropped: expect it only when budget was left.
    const warnings = events
      .filter((e: any) => e.type === 'Warning' && !String(e.message).includes('Liveness'))
      .reduce((n: number, e: any) => n + (e.count ?? 1), 0);
    const livenessWarning = events.some((e: any) => e.reason === 'Unhealthy' && String(e.message).includes('Liveness probe failed'));
    if (warnings < 25) expect(livenessWarning).toBe(true);
    else if (!livenessWarning)
      console.log(
        `[liveness] NOT CHECKED: the "Liveness probe failed" Warning, because the pod had already used its ${warnings} of 25 Warning events (the kubelet's spam filter drops the rest)`,
      );
  }, 400_000);

  it('has its HPA accepted and handled by the controller (no metrics-server here: it says so)', async () => {
    const hpa = await until(
      'the HPA controller to report on order',
      async () => {
        const h = await json(['-n', NAMESPACE, 'get', 'hpa', 'order']);
        return h.status?.conditions?.length ? h : undefined;
      },
      120_000,
    );
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
    expect(hpa.status.currentReplicas).toBeGreaterThanOrEqual(2);
    const condition = (type: string) => hpa.status.conditions.find((c: any) => c.type === type);
    expect(condition('AbleToScale').status).toBe('True');
    const active = condition('ScalingActive');
    console.log(`[hpa] AbleToScale ${condition('AbleToScale').reason}; ScalingActive ${active.status} ${active.reason}: ${active.message}`);
    if (active.status === 'True') expect(hpa.status.currentMetrics[0].resource.name).toBe('cpu');
    else expect(active.reason).toBe('FailedGetResourceMetric');
  });

  it('refuses an eviction its PodDisruptionBudget forbids', async () => {
    const evict = (pod: string) =>
      kubectlOutcome(
        ['create', '--raw', `/api/v1/namespaces/${NAMESPACE}/pods/${pod}/eviction`, '-f', '-'],
        JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: NAMESPACE } }),
      );
    // order: two pods, at least one available: the budget allows one eviction, then none.
    await until(
      'order budget allows one disruption',
      async () => ((await json(['-n', NAMESPACE, 'get', 'pdb', 'order'])).status.disruptionsAllowed === 1 ? true : undefined),
      120_000,
    );
    const [first, second] = (await pods('app=order')).filter(ready).map((p) => p.metadata.name);
    const allowed = await evict(first!);
    expect(allowed.ok, allowed.output).toBe(true);
    const refused = await evict(second!);
    expect(refused.ok).toBe(false);
    expect(refused.output).toContain('disruption budget');
    // select-store: one pod, at least one available: never evictable.
    const [only] = (await pods('app=select-store')).filter(ready).map((p) => p.metadata.name);
    const alone = await evict(only!);
    expect(alone.ok).toBe(false);
    expect(alone.output).toContain('disruption budget');
    await kubectl(['-n', NAMESPACE, 'rollout', 'status', 'deployment/order', '--timeout=600s']);
    await settled('app=order');
  }, 700_000);
});
