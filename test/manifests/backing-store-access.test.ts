import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { brokerGrants, clusterAccessLists } from '../../tools/launcher/src/broker-access.js';
import { redisRulesOf } from '../../tools/launcher/src/infra/redis-users.js';
import { loadRunFile } from '../../tools/launcher/src/run-file.js';

/**
 * Issue 20 on the cluster: the grants k8s applies (Kafka ACLs, topics, Redis users) are the
 * contracts' grants, every app-id has its own credentials Secret wired to its own sidecar only,
 * and the dev broker and Redis authenticate and authorise.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const docs = (file: string) =>
  parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))
    .map((d) => d.toJS() as any)
    .filter(Boolean);
const appIds: string[] = parse(readFileSync(join(ROOT, 'dapr.yaml'), 'utf8')).apps.map((a: { appID: string }) => a.appID);

describe('k8s: backing-store access from the contracts', () => {
  const [configMap, job] = docs('k8s/base/backing-store-access.yaml');

  it('carries exactly the grants the launcher applies locally (packages/contracts + broker-access.json)', () => {
    const expected = clusterAccessLists(brokerGrants(loadRunFile()), redisRulesOf);
    for (const [file, text] of Object.entries(expected)) {
      expect(configMap.data[file], `k8s/base/backing-store-access.yaml ${file} should be:\n${text}`).toBe(text);
    }
  });

  it("gives the Kafka Job every app-id's password, and every Deployment's sidecar (only) its own credentials", () => {
    const sources = job.spec.template.spec.volumes.find((v: any) => v.name === 'kafka-users').projected.sources;
    expect(sources.map((s: any) => s.secret.items[0].path).sort()).toEqual([...appIds].sort());
    for (const app of appIds) {
      const [deployment] = docs(`k8s/base/apps/${app}.yaml`).filter((d) => d.kind === 'Deployment');
      const template = deployment.spec.template;
      expect(template.metadata.annotations['dapr.io/volume-mounts'], app).toBe('app-credentials:/var/run/secrets/burger/app-credentials');
      expect(template.spec.volumes.find((v: any) => v.name === 'app-credentials').secret.secretName, app).toBe(`${app}-credentials`);
      // The app container does not mount it: the app asks its sidecar, as locally.
      for (const container of template.spec.containers)
        expect(container.volumeMounts ?? [], app).not.toContainEqual(expect.objectContaining({ name: 'app-credentials' }));
    }
  });

  it('runs the dev Kafka with SASL/SCRAM on every listener, the StandardAuthorizer and no auto-created topics; dev Redis from the ACL file', () => {
    const services = docs('k8s/overlays/dev/backing-services.yaml');
    const kafka = services.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'kafka');
    const env = Object.fromEntries(kafka.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe('CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT');
    expect(env.KAFKA_LISTENERS).toBe('SASL_PLAINTEXT://:9092,CONTROLLER://:9093');
    expect(env.KAFKA_AUTHORIZER_CLASS_NAME).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect([env.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND, env.KAFKA_AUTO_CREATE_TOPICS_ENABLE]).toEqual(['false', 'false']);
    expect(env.KAFKA_SUPER_USERS).toBe('User:admin;User:controller');
    const redis = services.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'redis');
    expect(redis.spec.template.spec.containers[0].command.join(' ')).toContain('--aclfile /data/users.acl');
    expect(redis.spec.template.spec.containers[0].command.join(' ')).not.toContain('requirepass');
  });
});
