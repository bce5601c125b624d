import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { monitoringQueries } from '../support/observability.js';
import { crdValidators, haveSchemas } from '../support/schemas.js';

/**
 * Renders the base and each overlay with kustomize (what `kubectl apply -k` does) and
 * validates every object: Kubernetes kinds against the API's schemas (kubernetes-models),
 * Dapr kinds against the Dapr CRDs; then the rules every deployment must follow.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const KUSTOMIZE = (JSON.parse(readFileSync(join(ROOT, '.run', 'toolchain.json'), 'utf8')) as { kustomize?: string }).kustomize;

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: any;
  scopes?: string[];
  data?: Record<string, string>;
};

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'v1/Service': Service,
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/ServiceAccount': ServiceAccount,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

function render(dir: string): K8sObject[] {
  if (!KUSTOMIZE) throw new Error('.run/toolchain.json has no kustomize: run scripts/provision.sh');
  const out = execFileSync(KUSTOMIZE, ['build', join(ROOT, dir)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

const runFile = parse(readFileSync(join(ROOT, 'dapr.yaml'), 'utf8')) as { apps: Array<{ appID: string; appPort: number }> };
const appIds: string[] = runFile.apps.map((a) => a.appID);
const appPortNumbers = new Set(runFile.apps.map((a) => a.appPort));
const daprValidators = haveSchemas ? crdValidators() : new Map();

for (const dir of ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/prod', 'k8s/overlays/local', 'k8s/observability']) {
  describe(`${dir} (kustomize build)`, () => {
    const objects = render(dir);
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

    it('every object is valid against its schema (Kubernetes API or Dapr CRD)', () => {
      for (const object of objects) {
        const key = `${object.apiVersion}/${object.kind}`;
        const where = `${object.kind} ${object.metadata.name}`;
        if (object.apiVersion.startsWith('dapr.io/')) {
          if (!haveSchemas) continue; // said loudly by schemas.test.ts
          const validate = daprValidators.get(key);
          expect(validate, `no CRD schema for ${key}`).toBeDefined();
          expect(validate!(object), `${where}: ${JSON.stringify(validate!.errors)}`).toBe(true);
        } else {
          const Model = MODELS[key];
          expect(Model, `${where}: no schema for ${key} (add it to MODELS)`).toBeDefined();
          expect(() => new Model!(object).validate(), where).not.toThrow();
        }
      }
    });

    if (dir === 'k8s/observability') {
      it('scrapes every app and sidecar, alerts on the promises, and ships a dashboard', () => {
        // Each app's /metrics is scraped once, on the port that serves it: `http`, but the gateway's
        // `metrics` (its http port is public and serves none); every sidecar on `dapr-metrics`.
        const scraped = (port: string) =>
          byKind('PodMonitor')
            .filter((m) => m.spec.podMetricsEndpoints.some((e: { port: string }) => e.port === port))
            .flatMap((m) => m.spec.selector.matchExpressions[0].values as string[]);
        expect(new Set(scraped('dapr-metrics'))).toEqual(new Set(appIds));
        expect([...scraped('http'), ...scraped('metrics')].sort()).toEqual([...appIds].sort());
        expect(scraped('metrics')).toEqual(['gateway']);
        expect(
          byKind('PodMonitor')
            .flatMap((m) => m.spec.podMetricsEndpoints.map((e: { port: string }) => e.port))
            .sort(),
        ).toEqual(['dapr-metrics', 'http', 'metrics']);
        const alerts = byKind('PrometheusRule').flatMap((r) =>
          r.spec.groups.flatMap((g: { rules: Array<{ alert: string }> }) => g.rules.map((rule) => rule.alert)),
        );
        for (const alert of [
          'PaymentCircuitBreakerOpen',
          'EventsFailingDelivery',
          'ConsumerLagGrowing',
          'HighErrorRate',
          'OrderPlacementSlow',
        ])
          expect(alerts).toContain(alert);
        const dashboard = byKind('ConfigMap').find((c) => c.metadata.name === 'burger-grafana-dashboard');
        expect(JSON.parse(dashboard!.data!['burger-dashboard.json']!).panels.length).toBeGreaterThan(5);
        for (const { where, expr } of monitoringQueries()) expect(expr.trim().length, where).toBeGreaterThan(0);
      });
      return;
    }

    it('deploys every app-id of dapr.yaml, each with its HPA and PodDisruptionBudget', () => {
      const deployed = byKind('Deployment').map((d) => d.spec.template.metadata.annotations['dapr.io/app-id']);
      expect(new Set(deployed)).toEqual(new Set(appIds));
      for (const deployment of byKind('Deployment')) {
        const name = deployment.metadata.name;
        expect(
          byKind('HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef.name === name),
          `HPA for ${name}`,
        ).toBe(true);
        expect(
          byKind('PodDisruptionBudget').some((p) => p.spec.selector.matchLabels.app === name),
          `PDB for ${name}`,
        ).toBe(true);
      }
    });

    it('rolls out without downtime and is probed on the real health endpoints, with resources set', () => {
      for (const deployment of byKind('Deployment')) {
        const name = deployment.metadata.name;
        const annotations = deployment.spec.template.metadata.annotations;
        for (const key of [
          'dapr.io/enabled',
          'dapr.io/app-id',
          'dapr.io/app-port',
          'dapr.io/config',
          'dapr.io/log-level',
          'dapr.io/sidecar-memory-limit',
          'dapr.io/api-token-secret',
          'dapr.io/app-token-secret',
        ]) {
          expect(annotations[key], `${name}: ${key}`).toBeDefined();
        }
        expect(deployment.spec.strategy, name).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
        const [container] = deployment.spec.template.spec.containers;
        expect(container.livenessProbe.httpGet.path, name).toBe('/healthz');
        expect(container.readinessProbe.httpGet.path, name).toBe('/readyz');
        expect(
          container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory,
          name,
        ).toBeTruthy();
      }
    });

    it('has one way in: an Ingress to the gateway Service, and none to anything else', () => {
      const backends = byKind('Ingress').flatMap((i) =>
        i.spec.rules.flatMap((r: { http: { paths: Array<{ backend: { service: { name: string } } }> } }) =>
          r.http.paths.map((p) => p.backend.service.name),
        ),
      );
      expect(new Set(backends)).toEqual(new Set(['gateway']));
      // The gateway's /metrics and probes are not published: no catch-all prefix, nothing under /metrics.
      const paths = byKind('Ingress').flatMap((i) =>
        i.spec.rules.flatMap((r: { http: { paths: Array<{ path: string; pathType: string }> } }) => r.http.paths),
      );
      expect(paths.filter((p) => p.path === '/' && p.pathType === 'Prefix')).toEqual([]);
      expect(paths.map((p) => p.path)).toEqual(expect.arrayContaining(['/api', '/auth', '/app']));
      expect(paths.some((p) => ['/metrics', '/healthz', '/readyz'].some((internal) => internal.startsWith(p.path) && p.path !== '/'))).toBe(
        false,
      );
      expect(
        byKind('Service')
          .filter((s) => ['LoadBalancer', 'NodePort'].includes(s.spec.type))
          .map((s) => s.metadata.name),
      ).toEqual([]);
    });

    it("serves the gateway's /metrics on its internal `metrics` port only: not the Service's, not the Ingress's", () => {
      const gateway = byKind('Deployment').find((d) => d.metadata.name === 'gateway')!.spec.template.spec.containers[0];
      const metricsPort = gateway.ports.find((p: { name: string }) => p.name === 'metrics');
      expect(metricsPort, 'a container port named metrics').toBeDefined();
      expect(gateway.env.find((e: { name: string }) => e.name === 'APP_METRICS_PORT')?.value).toBe(String(metricsPort.containerPort));
      const service = byKind('Service').find((s) => s.metadata.name === 'gateway')!;
      expect(service.spec.ports.map((p: { targetPort: string | number }) => p.targetPort)).not.toContain('metrics');
      expect(service.spec.ports.map((p: { targetPort: string | number }) => p.targetPort)).not.toContain(metricsPort.containerPort);
    });

    it("keeps auth's signing key to auth: its Secret is readable by auth's service account only", () => {
      const readers = byKind('Role').filter((r) =>
        (r as unknown as { rules: Array<{ resourceNames?: string[] }> }).rules.some((rule) => rule.resourceNames?.includes('auth-secrets')),
      );
      expect(readers.map((r) => r.metadata.name)).toEqual(['auth-secret-reader']);
      const binding = byKind('RoleBinding').find(
        (b) => (b as unknown as { roleRef: { name: string } }).roleRef.name === 'auth-secret-reader',
      ) as unknown as { subjects: Array<{ name: string }> };
      expect(binding.subjects.map((s) => s.name)).toEqual(['auth']);
      const accounts = byKind('Deployment')
        .filter((d) => d.spec.template.spec.serviceAccountName === 'auth')
        .map((d) => d.metadata.name);
      expect(accounts).toEqual(['auth']);
    });

    it("exposes no app's port through a Service but the gateway's: apps are reached through their sidecars", () => {
      const appPods = new Set(appIds);
      const toApps = byKind('Service')
        .filter((s) => appPods.has(s.spec.selector?.app))
        .map((s) => s.metadata.name);
      expect(toApps).toEqual(['gateway']);
    });

    it('gives every app-id its own token Secrets, shared with no other app', () => {
      const seen = new Map<string, string>();
      for (const deployment of byKind('Deployment')) {
        const annotations = deployment.spec.template.metadata.annotations;
        const appId = annotations['dapr.io/app-id'];
        expect(annotations['dapr.io/api-token-secret'], appId).toBe(`${appId}-dapr-api-token`);
        expect(annotations['dapr.io/app-token-secret'], appId).toBe(`${appId}-app-api-token`);
        for (const secret of [annotations['dapr.io/api-token-secret'], annotations['dapr.io/app-token-secret']]) {
          expect(seen.get(secret), `${secret} used by ${seen.get(secret)} and ${appId}`).toBeUndefined();
          seen.set(secret, appId);
        }
      }
      // scripts/k8s-secrets.sh makes exactly these.
      const script = readFileSync(join(ROOT, 'scripts', 'k8s-secrets.sh'), 'utf8');
      const listed = /for app in ([a-z -]+); do/.exec(script)![1]!.trim().split(/\s+/);
      expect(new Set(listed)).toEqual(new Set(appIds));
      expect(script).not.toMatch(/burger-(api|app)-token/);
    });

    it('denies all ingress by default; an app port is admitted only to the ingress controller (gateway) and Prometheus', () => {
      const policies = byKind('NetworkPolicy');
      const denyAll = policies.find((p) => JSON.stringify(p.spec.podSelector) === '{}' && !p.spec.ingress);
      expect(denyAll?.spec.policyTypes).toEqual(['Ingress']);
      for (const policy of policies) {
        for (const rule of policy.spec.ingress ?? []) {
          const appPort = (rule.ports ?? []).some((p: { port: unknown }) => p.port === 'http' || appPortNumbers.has(Number(p.port)));
          if (!appPort) continue;
          // Only from other namespaces (ingress controller, monitoring), never from this namespace's pods.
          for (const peer of rule.from ?? [])
            expect(peer.podSelector, `${policy.metadata.name} admits pods to an app port`).toBeUndefined();
          for (const peer of rule.from ?? [])
            expect(['ingress-nginx', 'monitoring']).toContain(peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
          if (rule.from.some((peer: any) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'ingress-nginx')) {
            expect(policy.spec.podSelector.matchLabels, policy.metadata.name).toEqual({ app: 'gateway' });
          }
        }
        // Pods of this namespace reach app pods on the sidecar's internal gRPC port (mTLS) only.
        for (const rule of policy.spec.ingress ?? []) {
          if (
            (rule.from ?? []).some((peer: { podSelector?: unknown }) => peer.podSelector) &&
            policy.spec.podSelector.matchExpressions?.[0]?.values.includes('pay')
          ) {
            expect(rule.ports, policy.metadata.name).toEqual([{ port: 50002, protocol: 'TCP' }]);
          }
        }
      }
    });

    it('scopes every component only to deployed apps', () => {
      // The one unscoped component: each sidecar's own credentials, mounted into that sidecar only.
      expect(
        byKind('Component')
          .filter((c) => !c.scopes)
          .map((c) => c.metadata.name),
      ).toEqual(['app-credentials']);
      for (const component of byKind('Component').filter((c) => c.scopes)) {
        expect(component.scopes?.length, component.metadata.name).toBeGreaterThan(0);
        for (const scope of component.scopes!) expect(appIds, `${component.metadata.name} → ${scope}`).toContain(scope);
      }
    });

    if (dir.endsWith('dev') || dir.endsWith('prod')) {
      const backing = ['postgres', 'redis', 'mongodb', 'kafka'];
      it(dir.endsWith('dev') ? 'runs the backing stores as StatefulSets' : 'points the backing-store names at managed services', () => {
        for (const name of backing) {
          const service = byKind('Service').find((s) => s.metadata.name === name);
          expect(service, `Service ${name}`).toBeDefined();
          if (dir.endsWith('dev')) expect(byKind('StatefulSet').map((s) => s.metadata.name)).toContain(name);
          else expect(service!.spec.type, name).toBe('ExternalName');
        }
      });
      it(dir.endsWith('dev') ? 'traces every request' : 'traces one request in ten and ships the monitoring', () => {
        for (const configuration of byKind('Configuration')) {
          expect(configuration.spec.tracing.samplingRate, configuration.metadata.name).toBe(dir.endsWith('dev') ? '1' : '0.1');
          expect(configuration.spec.tracing.otel.endpointAddress).toBeTruthy();
        }
        if (dir.endsWith('prod')) expect(byKind('PrometheusRule')).toHaveLength(1);
      });
    }

    if (dir.endsWith('local')) {
      it('never pulls: every image is one scripts/provision-k8s-images.sh builds here', () => {
        for (const workload of [...byKind('Deployment'), ...byKind('StatefulSet')]) {
          for (const container of workload.spec.template.spec.containers) {
            expect(container.image, workload.metadata.name).toMatch(/^localhost\/burger\//);
            expect(container.imagePullPolicy, workload.metadata.name).toBe('Never');
          }
        }
      });
      it('runs PostgreSQL, Redis and Kafka as StatefulSets, and no MongoDB: paymentstore is SQLite on a shared volume', () => {
        expect(
          byKind('StatefulSet')
            .map((s) => s.metadata.name)
            .sort(),
        ).toEqual(['kafka', 'postgres', 'redis']);
        expect(byKind('Service').map((s) => s.metadata.name)).not.toContain('mongodb');
        const paymentstore = byKind('Component').find((c) => c.metadata.name === 'paymentstore')!;
        expect(paymentstore.spec.type).toBe('state.sqlite');
        const pay = byKind('Deployment').find((d) => d.metadata.name === 'pay')!;
        const mount = pay.spec.template.metadata.annotations['dapr.io/volume-mounts-rw'] as string;
        const dbPath = paymentstore.spec.metadata.find((m: { name: string }) => m.name === 'connectionString').value as string;
        expect(dbPath.startsWith(mount.split(':')[1]! + '/')).toBe(true);
        const claim = pay.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.split(':')[0]).persistentVolumeClaim
          .claimName;
        expect(byKind('PersistentVolumeClaim').map((c) => c.metadata.name)).toContain(claim);
      });
    }
  });
}
