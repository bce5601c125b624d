import { delimiter } from 'node:path';
import { replaceSidecar } from '@burger/service-kit';
import { loadComponents } from './components.js';
import { DirectSidecar } from './direct-sidecar.js';

/**
 * Loaded before an app's own code (`node --import tsx --import bench/twin/preload.ts src/main.ts`) when the
 * launcher starts the direct twin (BURGER_TWIN=1): the app runs unchanged, and its sidecar calls are answered
 * by drivers in its own process. The launcher passes the app's resources paths and every app's ports.
 */
const appId = process.env.APP_ID!;
const resources = process.env.BURGER_TWIN_RESOURCES!.split(delimiter);
const peers = JSON.parse(process.env.BURGER_TWIN_PEERS!) as Record<string, number[]>;
replaceSidecar(new DirectSidecar(appId, process.cwd(), loadComponents(resources, appId, process.cwd()), peers, process.env.APP_API_TOKEN));
