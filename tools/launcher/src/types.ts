import type { ControlPlane } from './apps.js';
import type { Toolchain } from './paths.js';
import type { AppSpec } from './run-file.js';
import type { LocalSecrets, TokensByApp } from './secrets.js';
import type { Supervisor } from './supervisor.js';

/**
 * What a started stack is and how to ask for one: the shapes stack.ts makes and its users
 * (the CLI, rolling-restart.ts, the tests' control server) take, in a module of their own
 * so none of them imports stack.ts back for a type.
 */
export interface Stack {
  apps: AppSpec[];
  secrets: LocalSecrets;
  /** Each app-id's own Dapr API token and app API token. */
  tokens: TokensByApp;
  tools: Toolchain;
  supervisor: Supervisor;
  controlPlane: ControlPlane;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Start only these app-ids (default: every app in dapr.yaml). */
  only?: string[];
  /** Leave these app-ids out. */
  without?: string[];
  /** Start only the infrastructure: the apps and their sidecars are `dapr run -f .`'s (README, "With the Dapr CLI"). */
  infraOnly?: boolean;
  progress?: (line: string) => void;
}
