import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kubectl, kubectlOutcome, NAMESPACE, render } from '../cluster.js';

/**
 * Stage 1 of the k8s pass: every overlay sent to a real kube-apiserver (with Dapr's
 * CRDs installed) as a server-side dry run. The server applies its own validation,
 * defaulting and admission, which schema checks (test/manifests) cannot: selector and
 * template labels, immutable or cross-field rules, CRD structural schemas as served.
 * The prometheus-operator kinds of prod are left out: their CRDs are not installed here.
 */
const NOT_INSTALLED = new Set(['monitoring.coreos.com/v1']);

type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any };

async function objectsOf(dir: string): Promise<{ sent: Doc[]; left: Doc[] }> {
  const docs = parseAllDocuments(await render(dir)).map((d) => d.toJS() as Doc);
  return { sent: docs.filter((d) => !NOT_INSTALLED.has(d.apiVersion)), left: docs.filter((d) => NOT_INSTALLED.has(d.apiVersion)) };
}

// Sent as JSON: re-serialised YAML could turn a string such as "on" into YAML 1.1's boolean for kubectl.
// `clientChecks: false` leaves kubectl's own checks (against the schemas the server publishes) out: the server answers.
const dryRun = (objects: Doc[], clientChecks = true) =>
  kubectlOutcome(
    [
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=burger-dry-run',
      '--dry-run=server',
      ...(clientChecks ? [] : ['--validate=false']),
      '-f',
      '-',
    ],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  );

describe('the overlays against a real API server (kubectl apply --dry-run=server)', () => {
  beforeAll(async () => {
    // Dapr's CRDs are installed (scripts/test-k8s.sh), and namespaced objects need their namespace to exist.
    expect(
      await kubectl([
        'get',
        'crd',
        'components.dapr.io',
        'configurations.dapr.io',
        'resiliencies.dapr.io',
        'subscriptions.dapr.io',
        '-o',
        'name',
      ]),
    ).toContain('components.dapr.io');
    await kubectl(['apply', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NAMESPACE} }\n`);
  });

  for (const overlay of ['dev', 'prod', 'local']) {
    it(`accepts every object of k8s/overlays/${overlay}`, async () => {
      const { sent, left } = await objectsOf(`k8s/overlays/${overlay}`);
      const outcome = await dryRun(sent);
      expect(outcome.ok, outcome.output).toBe(true);
      const applied = outcome.output.split('\n').filter((line) => line.endsWith('(server dry run)'));
      console.log(
        `[dry-run] ${overlay}: ${applied.length} of ${sent.length} objects accepted; not sent (CRDs not installed): ${left.map((d) => d.kind).join(', ') || 'none'}`,
      );
      expect(applied).toHaveLength(sent.length);
      if (overlay !== 'prod') expect(left).toEqual([]);
    });
  }

  it('refuses what only a server checks: a Deployment whose selector does not match its pods', async () => {
    const { sent } = await objectsOf('k8s/overlays/local');
    const broken = structuredClone(sent.find((d) => d.kind === 'Deployment' && d.metadata.name === 'order')!);
    broken.spec.selector.matchLabels = { app: 'not-order' };
    const outcome = await dryRun([broken], false);
    expect(outcome.ok).toBe(false);
    expect(outcome.output).toContain('`selector` does not match template `labels`');
  });

  it("refuses a Dapr Component that breaks the CRD's schema as the server serves it", async () => {
    const { sent } = await objectsOf('k8s/overlays/local');
    const broken = structuredClone(sent.find((d) => d.kind === 'Component')!);
    delete broken.spec.type;
    const outcome = await dryRun([broken], false);
    expect(outcome.ok).toBe(false);
    expect(outcome.output).toContain('spec.type: Required value');
  });
});
