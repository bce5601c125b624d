/**
 * What may run of order inside another process: the benchmark's direct baseline (bench/baseline)
 * places orders with these same rules and the same contract events, minus Dapr. Import this module
 * (`@burger/order/in-process`), never a file under src/ by path: what is here is what order offers.
 */
export { STANDARD_MENU } from './domain/menu.js';
export type { OrderSnapshot } from './domain/order.js';
export { PlaceOrder } from './application/place-order.js';
export * from './application/ports.js';
export { announcementEvent } from './adapters/dapr/order-announcements.js';
