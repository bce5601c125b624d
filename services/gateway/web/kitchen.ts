import { api } from './api.js';
import { empty, failure, h, loading, mount, time } from './dom.js';

interface Ticket {
  orderId: string;
  customerId: string;
  status: 'Queued' | 'Cooking' | 'InDelivery';
  queuedAt: string;
  lines: Array<{ menuItemId: string; quantity: number }>;
}

const NEXT: Record<Ticket['status'], { step: string; label: string }> = {
  Queued: { step: 'start-cooking', label: 'Start cooking' },
  Cooking: { step: 'start-delivery', label: 'Send out' },
  InDelivery: { step: 'delivered', label: 'Delivered' },
};
const REFRESH_MS = 1_500;

/** The branch's kitchen board, refreshed every 1.5 s; each ticket has the one next step. */
export async function kitchenPage(root: HTMLElement, branch: string, signal: AbortSignal): Promise<void> {
  mount(root, loading('the kitchen board'));
  const message = h('p', { role: 'status', class: 'message' });
  // Burger names for the tickets (they carry menu ids); ids are shown if the menu cannot be read.
  const names = new Map(
    (await api<{ items: Array<{ id: string; name: string }> }>('GET', '/menu').catch(() => ({ items: [] }))).items.map((i) => [
      i.id,
      i.name,
    ]),
  );
  const board = h('div');
  const step = async (ticket: Ticket) => {
    try {
      await api('POST', `/kitchen/orders/${ticket.orderId}/${NEXT[ticket.status].step}`);
      message.textContent = '';
      await refresh();
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
    }
  };
  const column = (status: Ticket['status'], title: string, tickets: Ticket[]) =>
    h(
      'section',
      { class: 'column', 'data-testid': `column-${status}` },
      h('h2', {}, `${title} (${tickets.length})`),
      tickets.length === 0
        ? empty('Nothing here.')
        : h(
            'ul',
            {},
            ...tickets.map((t) =>
              h(
                'li',
                { class: 'ticket', 'data-order': t.orderId },
                h('div', {}, h('strong', {}, t.orderId.slice(0, 8)), ' ', h('time', {}, time(t.queuedAt))),
                h('div', {}, t.lines.map((l) => `${l.quantity}× ${names.get(l.menuItemId) ?? l.menuItemId}`).join(', ')),
                h('button', { class: 'primary', onclick: () => void step(t) }, NEXT[t.status].label),
              ),
            ),
          ),
    );
  async function refresh(): Promise<void> {
    try {
      const { orders } = await api<{ orders: Ticket[] }>('GET', '/kitchen/queue');
      const by = (s: Ticket['status']) => orders.filter((o) => o.status === s);
      mount(
        board,
        h(
          'div',
          { class: 'board' },
          column('Queued', 'New', by('Queued')),
          column('Cooking', 'Cooking', by('Cooking')),
          column('InDelivery', 'Out for delivery', by('InDelivery')),
        ),
      );
    } catch (error) {
      mount(
        board,
        failure(error, () => void refresh()),
      );
    }
  }
  await refresh();
  mount(root, h('h2', {}, `Kitchen · ${branch}`), message, board);
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}
