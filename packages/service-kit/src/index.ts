export * from './http-app.js';
export * from './logger.js';
export * from './problems.js';
export * from './serve.js';
export * from './sidecar.js';
export * from './subscriptions.js';
export * from './state-store.js';
export * from './events.js';
