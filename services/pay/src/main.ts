import { randomUUID } from 'node:crypto';
import { AppId } from '@burger/contracts';
import { createLogger, createServiceApp, mountSubscriptions, requiredPort, serveGracefully, sidecarReady } from '@burger/service-kit';
import { ApprovePayment } from './application/approve-payment.js';
import { GetPayment } from './application/get-payment.js';
import { PaymentHistory } from './application/payment-history.js';
import { RefundPayment } from './application/refund-payment.js';
import { DaprKitchen } from './adapters/dapr/kitchen.js';
import { DaprPaymentRepository } from './adapters/dapr/payment-repository.js';
import { storeEventsSubscription } from './adapters/events/store-events.js';
import { faultInjection } from './adapters/http/fault-injection.js';
import { mountPaymentRoutes } from './adapters/http/routes.js';

/** Composition root of the payment context. */
const logger = createLogger(AppId.pay);
// Test knobs (latency, failures, a crash point after the commit) only with PAY_FAULT_INJECTION=on.
const faults = process.env.PAY_FAULT_INJECTION === 'on' ? faultInjection(logger) : undefined;
const payments = new DaprPaymentRepository(logger, faults?.hooks);
const clock = { now: () => new Date() };
const approvePayment = new ApprovePayment({ payments, clock, ids: { next: () => randomUUID() } });
const refundPayment = new RefundPayment({ payments, clock, kitchen: new DaprKitchen() });

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
faults?.mount(app);
mountSubscriptions(app, logger, [storeEventsSubscription(refundPayment, logger)]);
mountPaymentRoutes(app, { approvePayment, getPayment: new GetPayment(payments), refundPayment, history: new PaymentHistory(payments) });
// Publishes what a charge or refund still owes (a crash or a broker outage between the write and the publish).
payments.outbox.start();
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining, onClosed: () => payments.outbox.stop() });
