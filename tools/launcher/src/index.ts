/**
 * The launcher's public face (`@burger/launcher`): what the tests and the benchmarks use. Each name
 * lives in its own module; this file only gathers them.
 */
export { startApp, waitForApp, type ControlPlane } from './apps.js';
export { rollingRestart } from './rolling-restart.js';
export { appCredentialsFile, tokensOf, type AppCredentials, type AppTokens, type LocalSecrets, type TokensByApp } from './secrets.js';
export { kafkaAdminSasl, KAFKA } from './infra/kafka.js';
export { INFRA_HOST, INFRA_PORTS, infraAddress } from './infra/ports.js';
export { INFRASTRUCTURE, stackOptionsFromEnv, startStack } from './stack.js';
export type { Stack, StackOptions } from './types.js';
