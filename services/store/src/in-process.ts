/**
 * What may run of store inside another process: the benchmark's direct baseline (bench/baseline)
 * queues paid orders with the kitchen's own rules and ports, minus Dapr; the replay test
 * (test/integration/replay.test.ts) seeds a branch's history through the kitchen's own use cases on its
 * real Dapr adapters. Import this module (`@burger/store/in-process`), never a file under src/ by path.
 */
export * from './domain/branch-board.js';
export * from './domain/kitchen-ticket.js';
export { AcceptPaidOrder } from './application/accept-paid-order.js';
export { DecideCancellation } from './application/decide-cancellation.js';
export { KitchenSteps } from './application/kitchen-steps.js';
export { DaprBranchBoards } from './adapters/dapr/branch-boards.js';
export { DaprKitchenTickets } from './adapters/dapr/kitchen-tickets.js';
export * from './application/ports.js';
