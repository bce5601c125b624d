/**
 * What may run of store inside another process: the benchmark's direct baseline (bench/baseline)
 * queues paid orders with the kitchen's own rules and ports, minus Dapr. Import this module
 * (`@burger/store/in-process`), never a file under src/ by path.
 */
export * from './domain/branch-board.js';
export * from './domain/kitchen-ticket.js';
export { AcceptPaidOrder } from './application/accept-paid-order.js';
export * from './application/ports.js';
