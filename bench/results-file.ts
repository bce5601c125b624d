import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a benchmark's JSON to bench/results/<name>-<time>.json (first: a rendering bug must not lose a long run), prints its Markdown, and names the file. */
export function publishResults(name: string, report: unknown, render: () => string): void {
  const folder = join(import.meta.dirname, 'results');
  const file = join(folder, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.error(`JSON: ${file}`);
  console.log(render());
  console.log(`\nJSON: ${file}`);
}

/** A benchmark's entry point: a failure is printed with its stack and ends the process with 1. */
export function runBenchmark(tag: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`[${tag}] failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
