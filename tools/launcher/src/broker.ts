import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, RUN_DIR } from './paths.js';

const COMPONENTS = join(ROOT, 'components');

/**
 * Swapping the broker is a YAML change: components/brokers/<name>/ holds files
 * that replace the same-named files of components/. With BURGER_BROKER=<name>,
 * sidecars load a merged copy under .run/components-<name>/ instead of
 * components/; without it, components/ as it is (Kafka).
 */
export function brokerResourcesPath(broker = process.env.BURGER_BROKER): string {
  if (!broker || broker === 'kafka') return COMPONENTS;
  const overrides = join(COMPONENTS, 'brokers', broker);
  if (!existsSync(overrides)) throw new Error(`BURGER_BROKER=${broker}: no ${overrides}`);
  const merged = join(RUN_DIR, `components-${broker}`);
  rmSync(merged, { recursive: true, force: true });
  mkdirSync(merged, { recursive: true });
  for (const dir of [COMPONENTS, overrides]) {
    for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) copyFileSync(join(dir, file), join(merged, file));
  }
  return merged;
}

export const brokerName = (): string => process.env.BURGER_BROKER || 'kafka';
