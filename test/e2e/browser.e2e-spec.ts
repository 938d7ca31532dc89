import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { createTestApp, TestApp } from '../utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of each step, for a person to look at (git-ignored). */
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const hasChromium = existsSync(CHROMIUM);
const UI_TIMEOUT_MS = 30_000;

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
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  (hasChromium ? it : it.skip)(
    'should authorise with client credentials and create, look up and search a profile with Try it out',
    async () => {
      const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${t.baseUrl}/docs`);
      await page.locator('.opblock-tag-section').first().waitFor({ timeout: UI_TIMEOUT_MS });

      // Profiles come first: the group a newcomer looks for.
      expect(await page.locator('.opblock-tag').first().getAttribute('data-tag')).toBe(
        'Profiles client',
      );
      await shoot(page, '1-docs');

      // Authorize: the OAuth2 client-credentials flow against the built-in issuer, in the page.
      await page.locator('button.authorize').first().click();
      const oauth2 = page
        .locator('.modal-ux .auth-container')
        .filter({ hasText: 'clientCredentials' });
      await oauth2.locator('input[id^="client_id"]').fill('demo-1');
      await oauth2.locator('input[id^="client_secret"]').fill('demo-1-secret');
      await oauth2.locator('button.modal-btn.auth.authorize').click();
      await oauth2.locator('button.modal-btn.auth', { hasText: 'Logout' }).waitFor({
        timeout: UI_TIMEOUT_MS,
      });
      expect(await oauth2.locator('.errors').count()).toBe(0);
      await shoot(page, '2-authorized');
      await page.locator('.modal-ux button.btn-done').first().click();

      // Create.
      const surname = `Nettleser${Date.now()}`;
      const create = await tryItOut(page, 'createProfile');
      await create.locator('textarea.body-param__text').fill(
        JSON.stringify({
          firstName: 'Kari',
          surname,
          createdBy: 'browser-test',
          createdByChannel: 'web',
        }),
      );
      const created = await execute(create, '201');
      const customerNumber = /"customerNumber": (\d+)/.exec(created)?.[1];
      expect(customerNumber).toBeDefined();
      expect(created).toContain(surname);
      await shoot(page, '3-created', create);

      // Look up.
      const lookup = await tryItOut(page, 'getProfile');
      await lookup.locator('input[placeholder="customerNumber"]').fill(customerNumber!);
      const found = await execute(lookup, '200');
      expect(found).toContain(`"customerNumber": ${customerNumber}`);
      await shoot(page, '4-looked-up', lookup);

      // Search: no optional filter is pre-filled, so only the surname is sent.
      const search = await tryItOut(page, 'searchProfiles');
      for (const filter of ['firstName', 'surname', 'email', 'customerRef', 'postCode']) {
        expect([
          filter,
          await search.locator(`input[placeholder="${filter}"]`).inputValue(),
        ]).toEqual([filter, '']);
      }
      await search.locator('input[placeholder="surname"]').fill(surname);
      const results = await execute(search, '200');
      expect(results).toContain(`"customerNumber": ${customerNumber}`);
      await shoot(page, '5-searched', search);
    },
    180_000,
  );
});

/** Opens an operation of the Profiles group and presses Try it out. */
async function tryItOut(page: Page, operationId: string): Promise<Locator> {
  const operation = page.locator(`#operations-Profiles_client-${operationId}`);
  await operation.waitFor({ timeout: UI_TIMEOUT_MS });
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  return operation;
}

/** Presses Execute and returns the rendered body once the expected status shows. */
async function execute(operation: Locator, status: string): Promise<string> {
  await operation.locator('button.execute').click();
  const response = operation.locator('.live-responses-table .response').first();
  await response
    .locator('.response-col_status')
    .filter({ hasText: status })
    .waitFor({ timeout: UI_TIMEOUT_MS });
  const body = response.locator('.response-col_description pre').first();
  await body.waitFor({ timeout: UI_TIMEOUT_MS });
  return (await body.textContent()) ?? '';
}

async function shoot(page: Page, name: string, operation?: Locator): Promise<void> {
  await operation?.scrollIntoViewIfNeeded();
  await (operation ?? page).screenshot({ path: join(ARTIFACTS, `swagger-ui-${name}.png`) });
}
