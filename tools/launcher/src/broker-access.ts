import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerGrantOf, type BrokerGrant } from '@burger/contracts';
import { z } from 'zod';
import type { AppSpec } from './run-file.js';

/** `<appDir>/broker-access.json`: the reads of an app that is not in the contracts (a team that joins on its own). */
const Declared = z.object({ reads: z.array(z.string().min(1)) });

/**
 * What each app-id of the run file may do on the broker: the contracts' grant (PublisherOf,
 * SubscribersOf) plus what the app declares in its own folder. One grant per app-id, however
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
