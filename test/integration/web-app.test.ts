import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl } from '../support/front-door.js';
import { appToken, stackInfo } from '../support/stack-info.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Screenshots of both journeys land here (kept after the run). */
const SCREENSHOTS = join(ROOT, '.run', 'artifacts', 'screenshots');
const PHONE = { width: 390, height: 844 };

/**
 * The browser app in a real browser (Debian's Chromium, driven by playwright-core):
 * a customer's journey and a kitchen's, on a phone-width screen, through the gateway
 * only. Each step waits for what a person would see; screenshots go to SCREENSHOTS.
 */
describe('web app in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    const toolchain = JSON.parse(readFileSync(join(ROOT, '.run', 'toolchain.json'), 'utf8')) as { chromium?: string };
    if (!toolchain.chromium) throw new Error('no chromium in .run/toolchain.json: run scripts/provision.sh');
    mkdirSync(SCREENSHOTS, { recursive: true });
    // --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: toolchain.chromium, args: ['--no-sandbox'] });
  });
  afterAll(async () => browser?.close());

  async function signedIn(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(`${gatewayUrl()}/app/`);
    await page.getByTestId('sign-in').click();
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(stackInfo().secrets['demo-password']);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sign-out').waitFor();
    return page;
  }

  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('shows the error state: payment failing → a clear "try again" message, and no order', async () => {
    const info = stackInfo();
    const payFaults = (failureRate: number) =>
      fetch(`http://127.0.0.1:${info.apps.pay!.appPort}/admin/faults`, {
        method: 'PUT',
        headers: { 'dapr-api-token': appToken('pay'), 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: 0, failureRate }),
      });
    const customer = await signedIn('lee');
    // The Idempotency-Key of each attempt to place: the retries after the error reuse the first one's.
    const keys: string[] = [];
    customer.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/orders')
        keys.push(request.headers()['idempotency-key'] ?? 'none');
    });
    await customer.getByTestId('add-cheese-burger').click();
    try {
      expect((await payFaults(1)).status).toBe(200);
      await customer.getByTestId('place-order').click();
      await customer.getByText('Payment is busy, please try again shortly').waitFor({ timeout: 15_000 });
      expect(customer.url()).not.toMatch(/#\/orders\//);
      await customer.screenshot({ path: join(SCREENSHOTS, 'customer-payment-busy.png'), fullPage: true });
    } finally {
      await payFaults(0);
    }
    // Pay is back: the same page places the order (retrying, as the message says, while the breaker may still be open).
    await expect
      .poll(
        async () => {
          if (/#\/orders\//.test(customer.url())) return true;
          await customer
            .getByTestId('place-order')
            .click({ timeout: 2_000 })
            .catch(() => undefined);
          await customer.waitForURL(/#\/orders\/[0-9a-f-]{36}$/, { timeout: 3_000 }).catch(() => undefined);
          return /#\/orders\//.test(customer.url());
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(keys.length).toBeGreaterThan(1);
    expect(new Set(keys).size, `one key for the attempt and its retries: ${keys.join(', ')}`).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);

  it('serves the page with a strict Content-Security-Policy', async () => {
    const page = await fetch(`${gatewayUrl()}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('a customer signs in, picks a favourite branch, orders, watches the kitchen move it live, cancels another, reads the inbox; the kitchen works its board', async () => {
    const customer = await signedIn('kim');
    await customer.locator('header').getByText('Kim Minji').waitFor();

    // Favourite branch, then an order from the menu.
    await customer.locator('#branch').selectOption('gangnam');
    await customer.getByTestId('make-favorite').click();
    await customer.getByText('Saved as your favourite branch.').waitFor();
    await customer.getByTestId('add-bulgogi-burger').click();
    await customer.getByTestId('add-bulgogi-burger').click();
    expect(await customer.getByTestId('total').textContent()).toBe('₩11,800');
    expect(await noSideways(customer), 'fits a phone-width screen').toBe(true);
    await customer.getByTestId('place-order').click();
    await customer.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    const orderId = customer.url().split('/').at(-1)!;
    await expect.poll(() => customer.getByTestId('status').textContent(), { timeout: 15_000 }).toBe('Paid, waiting for the kitchen');
    await customer.getByTestId('timeline').getByText('In the kitchen queue').waitFor({ timeout: 15_000 });
    await customer.screenshot({ path: join(SCREENSHOTS, 'customer-order-paid.png'), fullPage: true });

    // The Gangnam kitchen sees it and starts cooking; the customer's page changes without a reload.
    const kitchen = await signedIn('park');
    await kitchen.locator('main h2').getByText('Kitchen · gangnam').waitFor();
    const ticket = kitchen.getByTestId('column-Queued').locator(`[data-order="${orderId}"]`);
    await ticket.waitFor({ timeout: 15_000 });
    await ticket.getByRole('button', { name: 'Start cooking' }).click();
    await kitchen.getByTestId('column-Cooking').locator(`[data-order="${orderId}"]`).waitFor();
    await kitchen.screenshot({ path: join(SCREENSHOTS, 'kitchen-board.png'), fullPage: true });
    expect(await noSideways(kitchen)).toBe(true);
    await expect.poll(() => customer.getByTestId('status').textContent(), { timeout: 15_000 }).toBe('Cooking');
    await customer.getByTestId('timeline').getByText('Cooking started').waitFor();
    expect(await customer.getByTestId('cancel').count(), 'too late to cancel').toBe(0);
    await customer.screenshot({ path: join(SCREENSHOTS, 'customer-order-cooking.png'), fullPage: true });

    // A second order, cancelled while still waiting: the kitchen agrees and pay refunds.
    await customer.goto(`${gatewayUrl()}/app/#/order`);
    await customer.getByTestId('add-shrimp-burger').click();
    await customer.getByTestId('place-order').click();
    await customer.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    await customer.getByTestId('cancel').click();
    await expect.poll(() => customer.getByTestId('status').textContent(), { timeout: 20_000 }).toBe('Cancelled');
    await customer.getByText('Refunded').first().waitFor({ timeout: 20_000 });

    // The inbox has the KakaoTalk messages of those changes; My orders lists both.
    await customer.goto(`${gatewayUrl()}/app/#/inbox`);
    await customer.getByTestId('inbox').locator('li').first().waitFor({ timeout: 15_000 });
    await customer.screenshot({ path: join(SCREENSHOTS, 'customer-inbox.png'), fullPage: true });
    await customer.goto(`${gatewayUrl()}/app/#/orders`);
    await customer.locator(`a[href="#/orders/${orderId}"]`).waitFor();
    console.log(`[web-app] screenshots in ${SCREENSHOTS}`);
  }, 120_000);
});
