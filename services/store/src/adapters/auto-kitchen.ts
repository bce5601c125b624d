import { z } from 'zod';
import type { Logger } from '@burger/service-kit';
import type { KitchenSteps } from '../application/kitchen-steps.js';
import type { KitchenStep } from '../domain/kitchen-ticket.js';

/**
 * Demo mode: a robot cook that takes each queued order through the kitchen
 * after configurable delays, in place of the seed's sleeps. Off unless
 * AUTO_KITCHEN=on. In-process timers only: a restart forgets pending steps,
 * which is fine for a demo and why it is never on in tests unless a test asks.
 */
const Settings = z.object({
  AUTO_KITCHEN: z.enum(['on', 'off']).default('off'),
  AUTO_KITCHEN_COOK_AFTER_MS: z.coerce.number().int().min(0).default(5_000),
  AUTO_KITCHEN_DELIVER_AFTER_MS: z.coerce.number().int().min(0).default(10_000),
  AUTO_KITCHEN_DELIVERED_AFTER_MS: z.coerce.number().int().min(0).default(20_000),
});

export type AutoKitchen = (storeId: string, orderId: string) => void;

export function autoKitchenFromEnv(env: NodeJS.ProcessEnv, kitchenSteps: KitchenSteps, logger: Logger): AutoKitchen | undefined {
  const settings = Settings.parse(env);
  if (settings.AUTO_KITCHEN === 'off') return undefined;
  const plan: Array<[KitchenStep, number]> = [
    ['startCooking', settings.AUTO_KITCHEN_COOK_AFTER_MS],
    ['startDelivery', settings.AUTO_KITCHEN_DELIVER_AFTER_MS],
    ['markDelivered', settings.AUTO_KITCHEN_DELIVERED_AFTER_MS],
  ];
  logger.info({ plan }, 'auto-kitchen on');
  return (storeId, orderId) => {
    for (const [step, afterMs] of plan) {
      setTimeout(() => {
        // A cancelled order refuses the step: that is the robot noticing, not an error.
        kitchenSteps
          .execute(storeId, orderId, step)
          .catch((error: unknown) => logger.info({ orderId, step, reason: String(error) }, 'auto-kitchen step skipped'));
      }, afterMs).unref();
    }
  };
}
