import { randomUUID } from 'node:crypto';
import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, serveGracefully, sidecarReady } from '@burger/service-kit';
import { ApprovePayment } from './application/approve-payment.js';
import { GetPayment } from './application/get-payment.js';
import { DaprPaymentRepository } from './adapters/dapr/payment-repository.js';
import { mountPaymentRoutes } from './adapters/http/routes.js';

/** Composition root of the payment context. */
const logger = createLogger(AppId.pay);
const payments = new DaprPaymentRepository(createDaprClient());
const approvePayment = new ApprovePayment({ payments, clock: { now: () => new Date() }, ids: { next: () => randomUUID() } });

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountPaymentRoutes(app, { approvePayment, getPayment: new GetPayment(payments) });
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 3002), logger, markDraining });
