import { api, ApiError, attemptKeys, follow } from './api.js';
import { empty, failure, h, loading, mount, time, won } from './dom.js';

interface MenuItem {
  id: string;
  name: string;
  priceCents: number;
}
interface Branch {
  storeId: string;
  name: string;
  address: string;
}
interface TimelineEntry {
  type: string;
  occurredAt: string;
  detail?: string;
}
interface OrderSummary {
  orderId: string;
  storeId: string;
  status: string;
  cancellationRequested: boolean;
  cancellationRejectedReason?: string;
  refunded?: boolean;
  totalCents?: number;
  placedAt?: string;
  lines?: Array<{ menuItemId: string; quantity: number }>;
  timeline?: TimelineEntry[];
}

const STATUS_TEXT: Record<string, string> = {
  Paid: 'Paid, waiting for the kitchen',
  Cooking: 'Cooking',
  InDelivery: 'On its way',
  Delivered: 'Delivered',
  Cancelled: 'Cancelled',
};
const STEP_TEXT: Record<string, string> = {
  PaymentApproved: 'Payment approved',
  OrderPlaced: 'Order placed',
  OrderQueued: 'In the kitchen queue',
  OrderCancellationRequested: 'Cancellation requested',
  CancellationRejected: 'Cancellation refused',
  CookingStarted: 'Cooking started',
  DeliveryStarted: 'Out for delivery',
  OrderDelivered: 'Delivered',
  OrderCancelled: 'Cancelled',
  PaymentRefunded: 'Refunded',
};

/** Build an order: branch (the favourite preselected, and settable), menu with quantities, place and pay. */
export async function orderPage(root: HTMLElement, go: (hash: string) => void): Promise<void> {
  mount(root, loading('the menu'));
  let menu: MenuItem[];
  let branches: Branch[];
  let favorite: string | undefined;
  try {
    [menu, branches, favorite] = await Promise.all([
      api<{ items: MenuItem[] }>('GET', '/menu').then((r) => r.items),
      api<{ branches: Branch[] }>('GET', '/branches').then((r) => r.branches),
      api<{ storeId: string }>('GET', '/favorite-store')
        .then((r) => r.storeId)
        .catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? undefined : Promise.reject(e))),
    ]);
  } catch (error) {
    return mount(
      root,
      failure(error, () => void orderPage(root, go)),
    );
  }
  const quantities = new Map<string, number>();
  const branch = h(
    'select',
    { id: 'branch', name: 'branch' },
    ...branches.map((b) =>
      h('option', { value: b.storeId, selected: b.storeId === favorite }, `${b.name}${b.storeId === favorite ? ' ★' : ''}`),
    ),
  ) as HTMLSelectElement;
  const total = h('strong', { 'data-testid': 'total' });
  const message = h('p', { role: 'status', class: 'message' });
  const place = h(
    'button',
    { class: 'primary', 'data-testid': 'place-order', onclick: () => void placeOrder() },
    'Place order and pay',
  ) as HTMLButtonElement;
  const refresh = () => {
    const sum = menu.reduce((s, item) => s + item.priceCents * (quantities.get(item.id) ?? 0), 0);
    total.textContent = sum ? won(sum) : '—';
    place.disabled = sum === 0;
  };
  const stepper = (item: MenuItem) => {
    const count = h('span', { class: 'count', 'data-testid': `qty-${item.id}` }, '0');
    const change = (delta: number) => () => {
      const next = Math.min(20, Math.max(0, (quantities.get(item.id) ?? 0) + delta));
      quantities.set(item.id, next);
      count.textContent = String(next);
      refresh();
    };
    return h(
      'li',
      { class: 'menu-item' },
      h('span', {}, item.name, h('small', {}, won(item.priceCents))),
      h(
        'span',
        { class: 'stepper' },
        h('button', { 'aria-label': `fewer ${item.name}`, onclick: change(-1) }, '−'),
        count,
        h('button', { 'aria-label': `more ${item.name}`, 'data-testid': `add-${item.id}`, onclick: change(1) }, '+'),
      ),
    );
  };
  const makeFavorite = async () => {
    try {
      await api('PUT', '/favorite-store', { storeId: branch.value });
      favorite = branch.value;
      message.textContent = 'Saved as your favourite branch.';
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
    }
  };
  const attempts = attemptKeys();
  async function placeOrder() {
    place.disabled = true;
    message.className = 'message';
    message.textContent = 'Paying…';
    const lines = [...quantities].filter(([, q]) => q > 0).map(([menuItemId, quantity]) => ({ menuItemId, quantity }));
    const request = { storeId: branch.value, lines };
    try {
      const order = await api<{ orderId: string }>('POST', '/orders', request, attempts.keyFor(request));
      attempts.done();
      go(`#/orders/${order.orderId}`);
    } catch (error) {
      message.className = 'message error';
      message.textContent =
        error instanceof ApiError && error.retryAfter
          ? `${error.message} (try again in ${error.retryAfter} s)`
          : error instanceof Error
            ? error.message
            : String(error);
      place.disabled = false;
    }
  }
  mount(
    root,
    h(
      'section',
      {},
      h('h2', {}, 'Branch'),
      h(
        'div',
        { class: 'row' },
        branch,
        h('button', { 'data-testid': 'make-favorite', onclick: () => void makeFavorite() }, 'Make favourite'),
      ),
    ),
    h('section', {}, h('h2', {}, 'Menu'), h('ul', { class: 'menu' }, ...menu.map(stepper))),
    h('section', { class: 'checkout' }, h('div', {}, 'Total ', total), place, message),
  );
  refresh();
}

/**
 * A list the API serves a page at a time (newest first, `nextCursor` for the next): the first page,
 * then a "Show older" button that appends the next page, until there is none.
 */
async function pagedList<T>(
  root: HTMLElement,
  what: { path: string; field: string; name: string; empty: string; list: Record<string, string> },
  item: (entry: T) => HTMLElement,
): Promise<void> {
  mount(root, loading(what.name));
  const list = h('ul', what.list);
  const more = h('button', { class: 'secondary', 'data-testid': 'show-older' }, 'Show older');
  const load = async (cursor?: string) => {
    const page = await api<Record<string, unknown>>('GET', `${what.path}?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const entries = (page[what.field] as T[] | undefined) ?? [];
    list.append(...entries.map(item));
    const next = page.nextCursor as string | undefined;
    more.onclick = next
      ? () =>
          void load(next).catch((error: unknown) =>
            mount(
              root,
              failure(error, () => void pagedList(root, what, item)),
            ),
          )
      : null;
    more.hidden = !next;
    return entries.length;
  };
  try {
    if ((await load()) === 0) return mount(root, empty(what.empty));
    mount(root, list, more);
  } catch (error) {
    mount(
      root,
      failure(error, () => void pagedList(root, what, item)),
    );
  }
}

export async function ordersPage(root: HTMLElement): Promise<void> {
  await pagedList<OrderSummary>(
    root,
    {
      path: '/orders',
      field: 'orders',
      name: 'your orders',
      empty: 'No orders yet. Pick some burgers under “Order”.',
      list: { class: 'orders' },
    },
    (o) =>
      h(
        'li',
        {},
        h('a', { href: `#/orders/${o.orderId}` }, `${o.storeId} · ${won(o.totalCents)}`),
        h('span', { class: `badge ${o.status}` }, o.status),
      ),
  );
}

/** One order, live: the snapshot, then every status change as it happens; cancel while the kitchen has not started. */
export async function orderDetailPage(root: HTMLElement, orderId: string, signal: AbortSignal): Promise<void> {
  mount(root, loading('your order'));
  let summary: OrderSummary | undefined;
  // A just-placed order reaches the read side within moments.
  for (let attempt = 0; attempt < 20 && !summary && !signal.aborted; attempt++) {
    summary = await api<OrderSummary>('GET', `/orders/${orderId}`)
      .catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? undefined : Promise.reject(e)))
      .catch((error: unknown) => {
        mount(
          root,
          failure(error, () => void orderDetailPage(root, orderId, signal)),
        );
        return undefined;
      });
    if (!summary) await new Promise((r) => setTimeout(r, 300));
  }
  if (!summary) return mount(root, empty('This order is not there (yet). It may still be on its way to your list.'));
  const cancelAttempts = attemptKeys();
  // The newest state shown: the stream may move the order on (cancelled, refunded) while a cancel request is out.
  let latest = summary;
  const render = (s: OrderSummary) => {
    latest = s;
    const canCancel = s.status === 'Paid' && !s.cancellationRequested;
    const cancel = async () => {
      try {
        await api('POST', `/orders/${orderId}/cancel`, undefined, cancelAttempts.keyFor(orderId));
        // Marked on the newest state, not on the one the button was drawn from: re-drawing that one would hide
        // what the stream showed meanwhile (seen: "Cancelled", then "Paid" again without "Refunded").
        render(latest.status === 'Paid' ? { ...latest, cancellationRequested: true } : latest);
      } catch (error) {
        mount(notice, error instanceof Error ? error.message : String(error));
      }
    };
    const notice = h(
      'p',
      { role: 'status', class: 'message' },
      s.cancellationRequested
        ? 'Cancellation requested: the kitchen decides.'
        : s.cancellationRejectedReason
          ? `Cancellation refused: ${s.cancellationRejectedReason}`
          : '',
    );
    mount(
      root,
      h('h2', {}, 'Order ', h('small', {}, orderId.slice(0, 8))),
      h(
        'p',
        {},
        h('span', { class: `badge ${s.status}`, 'data-testid': 'status' }, STATUS_TEXT[s.status] ?? s.status),
        s.refunded ? h('span', { class: 'badge' }, 'Refunded') : null,
      ),
      h('p', {}, `${s.storeId} · ${won(s.totalCents)}`),
      h(
        'ol',
        { class: 'timeline', 'data-testid': 'timeline' },
        ...(s.timeline ?? []).map((t) => h('li', {}, h('time', {}, time(t.occurredAt)), ' ', STEP_TEXT[t.type] ?? t.type)),
      ),
      canCancel ? h('button', { class: 'danger', 'data-testid': 'cancel', onclick: () => void cancel() }, 'Cancel order') : null,
      notice,
    );
  };
  render(summary);
  void follow(
    `/orders/${orderId}/stream`,
    (event, data) => {
      const next = JSON.parse(data) as OrderSummary | null;
      if (next && (event === 'status' || event === 'snapshot')) render(next);
    },
    signal,
  ).catch(() => undefined);
}

export async function inboxPage(root: HTMLElement): Promise<void> {
  const what = {
    path: '/messages',
    field: 'messages',
    name: 'your messages',
    empty: 'No messages yet. You get one on KakaoTalk for every change to your orders.',
    list: { class: 'inbox', 'data-testid': 'inbox' },
  };
  await pagedList<{ eventId: string; text: string; sentAt: string }>(root, what, (m) =>
    h('li', {}, h('time', {}, time(m.sentAt)), h('p', {}, m.text)),
  );
}
