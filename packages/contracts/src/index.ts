export * from './apps.js';
export * from './events.js';
export * from './event-catalogue.js';
export * from './identity.js';
export * from './notifications.js';
export * from './orders.js';
export * from './payments.js';
export * from './store.js';
