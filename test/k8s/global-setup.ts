import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { json, kubectl, NAMESPACE, portForward, ROOT, until } from './cluster.js';

/**
 * Deploys the system on the cluster as a user would: the Secrets (scripts/k8s-secrets.sh),
 * `kubectl apply -k k8s/overlays/local`, then waits until every Deployment is Available
 * and every StatefulSet ready; finally `kubectl port-forward svc/gateway 8080:80`, the
 * public origin the local overlay gives the gateway and auth. Dapr's control plane is
 * already installed (scripts/k8s-dapr.sh), so each pod gets its sidecar from the injector.
 */
export const GATEWAY_PORT = 8080;
let forward: ChildProcess | undefined;

export async function setup() {
  const started = Date.now();
  const secrets = execFileSync('bash', [join(ROOT, 'scripts', 'k8s-secrets.sh'), 'local'], { encoding: 'utf8', env: process.env });
  console.log(`[k8s] secrets: ${secrets.trim().split('\n').length} lines from k8s-secrets.sh`);
  await kubectl(['apply', '-k', join(ROOT, 'k8s', 'overlays', 'local')]);
  // The rolling-update checkpoint's load (two accounts, ~15 orders/s) is above the per-account
  // limit that front-door tests; raised here as `npm test`'s zero-downtime pass raises it.
  await kubectl(['-n', NAMESPACE, 'set', 'env', 'deployment/gateway', 'RATE_LIMIT_USER_PER_MINUTE=100000']);
  const deployments: string[] = (await json(['-n', NAMESPACE, 'get', 'deployments'])).items.map((d: any) => d.metadata.name);
  await until(
    'every Deployment Available and every StatefulSet ready',
    async () => {
      const notYet: string[] = [];
      for (const d of (await json(['-n', NAMESPACE, 'get', 'deployments'])).items) {
        const available = d.status.conditions?.some((c: any) => c.type === 'Available' && c.status === 'True');
        const updated = d.status.updatedReplicas === d.spec.replicas && d.status.replicas === d.spec.replicas;
        if (!available || !updated) notYet.push(`${d.metadata.name} ${d.status.readyReplicas ?? 0}/${d.spec.replicas}`);
      }
      for (const s of (await json(['-n', NAMESPACE, 'get', 'statefulsets'])).items) {
        if ((s.status.readyReplicas ?? 0) < s.spec.replicas)
          notYet.push(`${s.metadata.name} ${s.status.readyReplicas ?? 0}/${s.spec.replicas}`);
      }
      if (notYet.length) console.log(`[k8s] ${Math.round((Date.now() - started) / 1000)}s, waiting for: ${notYet.join(', ')}`);
      return notYet.length ? undefined : true;
    },
    1_500_000,
    10_000,
  );
  console.log(
    `[k8s] ${deployments.length} Deployments Available in ${Math.round((Date.now() - started) / 1000)}s: ${deployments.join(', ')}`,
  );
  forward = await portForward('svc/gateway', GATEWAY_PORT, 80);
}

export async function teardown() {
  forward?.kill();
}
