import { z } from 'zod';
import { AppId } from '@burger/contracts';
import { createLogger, createServiceApp, mountSubscriptions, requiredPort, serveGracefully, sidecarReady } from '@burger/service-kit';
import { DEFAULT_TEMPLATES, type NoticeType } from './domain/notice.js';
import { NotifyCustomer } from './application/notify-customer.js';
import { DaprCustomerInbox } from './adapters/dapr/customer-inbox.js';
import { KakaoBindingSender } from './adapters/dapr/kakao-sender.js';
import { DaprSentMessageLog } from './adapters/dapr/sent-message-log.js';
import { notificationSubscriptions } from './adapters/events/subscriptions.js';
import { mountNotificationRoutes } from './adapters/http/routes.js';

/** Composition root of notification. NOTIFICATION_TEMPLATES (JSON) overrides message texts per event type. */
const logger = createLogger(AppId.notification);
const overrides = z
  .partialRecord(z.enum(Object.keys(DEFAULT_TEMPLATES) as [NoticeType, ...NoticeType[]]), z.string().min(1))
  .parse(JSON.parse(process.env.NOTIFICATION_TEMPLATES ?? '{}'));
const inbox = new DaprCustomerInbox();
const notifyCustomer = new NotifyCustomer({
  log: new DaprSentMessageLog(),
  inbox,
  sender: new KakaoBindingSender(),
  templates: { ...DEFAULT_TEMPLATES, ...overrides },
  clock: { now: () => new Date() },
});

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, notificationSubscriptions(notifyCustomer, logger));
mountNotificationRoutes(app, inbox);
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining });
