import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { createTestApp, TestApp } from '../utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = join(__dirname, '..', '..', 'test-results');
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(
    `browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`,
  );
}

/** A port free right now: the development issuer's URLs contain the port the app listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!hasChromium) {
      return;
    }
    // The embedded default: no AUTH_ISSUER, so the development issuer is on.
    t = await createTestApp({ PORT: String(await freePort()), AUTH_ISSUER: '', AUTH_AUDIENCE: '' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  (hasChromium ? it : it.skip)(
    'should authorise with a development token and look up a profile with Try it out',
    async () => {
      const tokenResponse = await t.http.post('/oauth/token', {
        body: {
          grant_type: 'client_credentials',
          client_id: 'demo-1',
          client_secret: 'demo-1-secret',
        },
      });
      expect(tokenResponse.status).toBe(200);
      const token: string = tokenResponse.body.access_token;
      const surname = `Nettleser${Date.now()}`;
      const created = await t.http.post('/customers/v2/profiles', {
        token,
        body: { firstName: 'Kari', surname, createdBy: 'browser-test', createdByChannel: 'web' },
      });
      expect(created.status).toBe(201);
      const customerNumber = String(created.body.customerNumber);

      const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${t.baseUrl}/docs`);
      const operation = page.locator('#operations-Profiles_client-getProfile');
      await operation.waitFor({ timeout: 30_000 });

      await page.locator('button.authorize').first().click();
      const modal = page.locator('.modal-ux');
      await modal.locator('input').first().fill(token);
      await modal.locator('button.modal-btn.auth.authorize').click();
      await modal.locator('button.btn-done').click();

      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('input[placeholder="customerNumber"]').fill(customerNumber);
      await operation.locator('button.execute').click();

      const liveResponse = operation.locator('.live-responses-table .response').first();
      await liveResponse.waitFor({ timeout: 30_000 });
      await expectText(liveResponse.locator('.response-col_status'), '200');
      const body = liveResponse.locator('.response-col_description pre').first();
      await expectText(body, surname);
      expect(await body.textContent()).toContain(`"customerNumber": ${customerNumber}`);

      mkdirSync(RESULTS, { recursive: true });
      await operation.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, 'swagger-ui-get-profile.png'), fullPage: true });
      await operation.screenshot({ path: join(RESULTS, 'swagger-ui-get-profile-operation.png') });
    },
    120_000,
  );
});

/** Waits until the element shows the text (Swagger UI renders the answer asynchronously). */
async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 30_000 });
  expect(await locator.first().textContent()).toContain(text);
}
