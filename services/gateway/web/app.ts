import { inboxPage, orderDetailPage, orderPage, ordersPage } from './customer.js';
import { failure, h, mount } from './dom.js';
import { kitchenPage } from './kitchen.js';
import { completeSignIn, current, signIn, signOut, type Session } from './session.js';

/** The browser app: sign-in, then the customer's pages or the staff member's kitchen board, by role. */
const root = document.getElementById('app')!;
let leaving = new AbortController();

async function start(): Promise<void> {
  if (location.pathname.endsWith('/callback')) {
    try {
      await completeSignIn(new URLSearchParams(location.search));
      history.replaceState(null, '', '/app/');
    } catch (error) {
      return mount(root, h('main', {}, failure(error), h('button', { class: 'primary', onclick: () => void signIn() }, 'Sign in')));
    }
  }
  const session = current();
  if (!session) return welcome();
  window.addEventListener('hashchange', () => void route(session));
  await route(session);
}

function welcome(): void {
  mount(
    root,
    h(
      'main',
      { class: 'welcome' },
      h('h1', {}, 'Burger'),
      h('p', {}, 'Order from your favourite branch and follow it to your door.'),
      h('button', { class: 'primary', 'data-testid': 'sign-in', onclick: () => void signIn() }, 'Sign in'),
    ),
  );
}

async function route(session: Session): Promise<void> {
  leaving.abort(); // stop the previous page's live updates
  leaving = new AbortController();
  const main = h('main');
  const links =
    session.role === 'staff'
      ? [['#/kitchen', 'Kitchen']]
      : [
          ['#/order', 'Order'],
          ['#/orders', 'My orders'],
          ['#/inbox', 'Inbox'],
        ];
  const hash = location.hash || (session.role === 'staff' ? '#/kitchen' : '#/order');
  // "My orders" stays marked on an order's own page (#/orders/<id>).
  const isCurrent = (href: string) => hash === href || (href === '#/orders' && hash.startsWith('#/orders/'));
  const nav = h(
    'nav',
    {},
    ...links.map(([href, label]) => h('a', { href: href!, 'aria-current': isCurrent(href!) ? 'page' : undefined }, label!)),
  );
  mount(
    root,
    h(
      'header',
      {},
      h('strong', {}, 'Burger'),
      nav,
      h('span', { class: 'who' }, session.name ?? session.sub),
      h(
        'button',
        {
          'data-testid': 'sign-out',
          onclick: () => {
            signOut();
            location.assign('/app/');
          },
        },
        'Sign out',
      ),
    ),
    main,
  );
  const go = (next: string) => {
    location.hash = next;
  };
  if (session.role === 'staff') return kitchenPage(main, session.branch ?? '?', leaving.signal);
  const detail = /^#\/orders\/([0-9a-f-]{36})$/.exec(hash);
  if (detail) return orderDetailPage(main, detail[1]!, leaving.signal);
  if (hash === '#/orders') return ordersPage(main);
  if (hash === '#/inbox') return inboxPage(main);
  return orderPage(main, go);
}

void start();
