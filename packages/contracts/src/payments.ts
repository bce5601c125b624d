import { z } from 'zod';
import { CustomerId, StoreRef } from './identifiers.js';

/** order → pay, synchronous through Dapr service invocation: POST /payments. */
export const ApprovePaymentRequest = z
  .object({
    orderId: z.uuid(),
    customerId: CustomerId,
    storeId: StoreRef,
    amountCents: z.number().int().positive(),
  })
  .strict();
export type ApprovePaymentRequest = z.infer<typeof ApprovePaymentRequest>;

export const PaymentStatus = z.enum(['Approved', 'Refunded']);

export const PaymentReceipt = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  customerId: z.string(),
  storeId: z.string(),
  amountCents: z.number().int(),
  status: PaymentStatus,
  approvedAt: z.iso.datetime(),
  refundedAt: z.iso.datetime().optional(),
});
export type PaymentReceipt = z.infer<typeof PaymentReceipt>;
