import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allTopics, brokerGrantOf, type BrokerGrant } from '@burger/contracts';
import { z } from 'zod';
import type { AppSpec } from './run-file.js';

/** `<appDir>/broker-access.json`: the reads of an app that is not in the contracts (a team that joins on its own). */
const Declared = z.object({ reads: z.array(z.string().min(1)) });

/**
 * What each app-id of the run file may do on the broker: the contracts' grant (PublisherOf,
 * SubscribedTopics) plus what the app declares in its own folder. One grant per app-id, however
 * many replicas it runs.
 */
export function brokerGrants(apps: readonly AppSpec[]): BrokerGrant[] {
  const byId = new Map(apps.map((app) => [app.appId, app]));
  return [...byId.values()].map((app) => {
    const file = join(app.appDir, 'broker-access.json');
    const declared = existsSync(file) ? Declared.parse(JSON.parse(readFileSync(file, 'utf8'))).reads : [];
    return brokerGrantOf(app.appId, declared);
  });
}

/**
 * The same grants for a cluster, as the plain-text lists k8s/base/backing-store-access.yaml
 * carries (its Job and Redis's init container read them line by line). A manifest test holds
 * that file to these, so the cluster cannot drift from the contracts.
 */
export function clusterAccessLists(
  grants: readonly BrokerGrant[],
  redisRulesOf: (grant: BrokerGrant) => string,
): Record<'topics.txt' | 'kafka-acls.txt' | 'redis-rules.txt', string> {
  const lines = (list: string[]) => list.join('\n') + '\n';
  return {
    'topics.txt': lines(allTopics()),
    'kafka-acls.txt': lines(
      grants.flatMap((grant) => [
        ...grant.writes.map((topic) => `${grant.appId} Write topic ${topic}`),
        ...grant.reads.map((topic) => `${grant.appId} Read topic ${topic}`),
        ...(grant.reads.length ? [`${grant.appId} Read group ${grant.appId}`] : []),
      ]),
    ),
    'redis-rules.txt': lines(grants.map((grant) => `${grant.appId} ${redisRulesOf(grant)}`)),
  };
}
