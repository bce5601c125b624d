import type { KakaoMessage, LifecycleEvent } from '@burger/contracts';

/** Event types the customer hears about: each is a change of their order's status. */
export type NoticeType =
  | 'OrderPlaced'
  | 'CookingStarted'
  | 'DeliveryStarted'
  | 'OrderDelivered'
  | 'OrderCancelled'
  | 'CancellationRejected'
  | 'PaymentRefunded';

/**
 * Message texts, with {orderId}, {shortId}, {storeId} and {reason} filled in.
 * OrderCancellationRequested, OrderQueued and PaymentApproved send nothing:
 * the customer just did the first, and the other two say nothing new to them
 * (the order was already confirmed as paid by OrderPlaced).
 */
export const DEFAULT_TEMPLATES: Record<NoticeType, string> = {
  OrderPlaced: '[Burger] Order {shortId} is paid and on its way to the {storeId} kitchen.',
  CookingStarted: '[Burger] Order {shortId}: the {storeId} kitchen has started cooking.',
  DeliveryStarted: '[Burger] Order {shortId} is out for delivery.',
  OrderDelivered: '[Burger] Order {shortId} was delivered. Enjoy your meal!',
  OrderCancelled: '[Burger] Order {shortId} is cancelled. Your refund is on its way.',
  CancellationRejected: '[Burger] Order {shortId} could not be cancelled: {reason}.',
  PaymentRefunded: '[Burger] The payment for order {shortId} has been refunded.',
};

export type Templates = Record<NoticeType, string>;

export interface Notice {
  eventId: string;
  eventType: NoticeType;
  orderId: string;
  customerId: string;
  text: string;
}

/** The notice an event deserves, or nothing if it is not a status change the customer needs to hear of. */
export function noticeFor(event: LifecycleEvent, templates: Templates): Notice | undefined {
  if (!(event.type in templates)) return undefined;
  const eventType = event.type as NoticeType;
  const values: Record<string, string> = {
    orderId: event.orderId,
    shortId: event.orderId.slice(0, 8),
    storeId: event.storeId,
    reason: 'reason' in event ? event.reason : '',
  };
  const text = templates[eventType].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  return { eventId: event.eventId, eventType, orderId: event.orderId, customerId: event.customerId, text };
}

/** The KakaoTalk "send to friends" body for a notice. */
export function kakaoMessage(notice: Notice): KakaoMessage {
  const url = `https://burger.example/orders/${notice.orderId}`;
  return {
    receiver_uuids: [notice.customerId],
    template_object: {
      object_type: 'text',
      text: notice.text.slice(0, 200),
      link: { web_url: url, mobile_web_url: url },
      button_title: 'View order',
    },
  };
}
