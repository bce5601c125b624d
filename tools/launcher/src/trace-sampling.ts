import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RUN_DIR } from './paths.js';

/** The rate a sidecar's Configuration samples traces at (`spec.tracing.samplingRate`). */
const SAMPLING_LINE = /^(\s*samplingRate:\s*)"[^"]*"\s*$/m;

/**
 * BURGER_TRACE_SAMPLING=<0..1>: every sidecar samples at that rate instead of its Configuration's
 * ("1" locally, so tests see every trace). The benchmark runs with production's 10 % (the prod
 * overlay's value) this way; the Configurations in the tree stay as they are. Without the variable,
 * the file is used as it is.
 */
export function withTraceSampling(configFile: string, rate = process.env.BURGER_TRACE_SAMPLING): string {
  if (rate === undefined || rate === '') return configFile;
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(rate)) throw new Error(`BURGER_TRACE_SAMPLING=${rate}: a rate from 0 to 1, e.g. 0.1`);
  const text = readFileSync(configFile, 'utf8');
  if (!SAMPLING_LINE.test(text)) throw new Error(`${configFile}: no tracing.samplingRate to replace`);
  // Relative paths in it (name resolution's file) resolve from the sidecar's working directory, not the file's, so the copy may live anywhere.
  const dir = join(RUN_DIR, `dapr-config-sampling-${rate}`);
  const copy = join(dir, `${basename(dirname(configFile))}-${basename(configFile)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(copy, text.replace(SAMPLING_LINE, `$1"${rate}"`));
  return copy;
}
