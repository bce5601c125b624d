/**
 * What may run of pay inside another process: the benchmark's direct baseline (bench/baseline)
 * approves payments with pay's own use case and ports, minus Dapr. Import this module
 * (`@burger/pay/in-process`), never a file under src/ by path.
 */
export type { Payment } from './domain/payment.js';
export { ApprovePayment } from './application/approve-payment.js';
export * from './application/ports.js';
