import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RUN_DIR } from './paths.js';

const run = promisify(execFile);

/**
 * The local stand-in for a Kubernetes Service's endpoint list. Sidecars find each
 * other through Dapr's SQLite name resolver, one row per sidecar in `hosts`, looked
 * up on every call. A sidecar writes its row as it starts, seconds before it (or its
 * app) can serve, and keeps it until it has stopped. On Kubernetes the endpoints
 * controller only lists ready pods; here the launcher does the same by renaming a
 * row's app-id while the instance is not ready (Dapr renews rows by registration id,
 * so a renamed row stays alive and resolves to nobody). A trigger holds a restarting
 * sidecar's fresh row in the same transaction that writes it, so no caller can pick
 * it before `admit` is called.
 */
export const NAME_RESOLUTION_DB = join(RUN_DIR, 'dapr', 'name-resolution.db');
const HIDDEN = '~';

async function sql(statements: string): Promise<void> {
  // A busy timeout, because every sidecar renews its row in the same file.
  await run('sqlite3', ['-cmd', '.timeout 5000', NAME_RESOLUTION_DB, statements]);
}

/** A sidecar's address in the resolver: the host IP the launcher gives it and its internal gRPC port. */
export function sidecarAddress(internalGrpcPort: number): string {
  return `127.0.0.1:${internalGrpcPort}`;
}

const quoted = (address: string) => `'${address.replace(/'/g, "''")}'`;

/** Takes the instance out of resolution now, and keeps its next registration out until `admit`. */
export async function withdraw(address: string): Promise<void> {
  await sql(`
    CREATE TABLE IF NOT EXISTS launcher_held_endpoints (address TEXT PRIMARY KEY);
    CREATE TRIGGER IF NOT EXISTS launcher_hold_registration AFTER INSERT ON hosts
      WHEN NEW.address IN (SELECT address FROM launcher_held_endpoints)
      BEGIN UPDATE hosts SET app_id = '${HIDDEN}' || NEW.app_id WHERE registration_id = NEW.registration_id; END;
    INSERT OR IGNORE INTO launcher_held_endpoints VALUES (${quoted(address)});
    UPDATE hosts SET app_id = '${HIDDEN}' || app_id WHERE address = ${quoted(address)} AND app_id NOT LIKE '${HIDDEN}%';`);
}

/** Puts the instance back into resolution: call once its sidecar and app are ready. */
export async function admit(address: string): Promise<void> {
  await sql(`
    DELETE FROM launcher_held_endpoints WHERE address = ${quoted(address)};
    UPDATE hosts SET app_id = substr(app_id, 2) WHERE address = ${quoted(address)} AND app_id LIKE '${HIDDEN}%';`);
}
