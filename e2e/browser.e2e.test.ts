import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { analyticsService } from '../services/analytics/src/service.ts';
import { developmentAdmin } from '../services/auth/src/settings.ts';
import { notificationsService } from '../services/notifications/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAtes } from '../tools/test/ates.ts';
import { freePort } from '../tools/test/freePort.ts';
import { waitFor } from '../tools/test/waitFor.ts';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// `npm run screenshots` points this at docs/screenshots, the pictures the README shows.
const screenshots = resolve(
  process.env['ATES_SCREENSHOTS_DIR'] ??
    join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots'),
);
const password = 'popug password 1';

describe.skipIf(!existsSync(chromiumPath))('aTES in a browser', () => {
  let ates: TestAtes;
  let browser: Browser;
  const url = (service: string, path = '/') => `${ates.urlOf(service)}${path}`;

  beforeAll(async () => {
    ates = await startAtes([tasksService, accountingService, analyticsService, notificationsService], {
      SMTP_SINK_PORT: String(await freePort()),
      EMAIL_SENDER_POLL_MS: '200',
      ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
    });
    // The shared header links to every dashboard by its public URL.
    Object.assign(process.env, ates.env);
    mkdirSync(screenshots, { recursive: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function personAt(service: string, email: string, secret: string, path = '/'): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(url(service, path));
    await page.getByRole('heading', { name: 'Sign in to aTES' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((current) => current.href.startsWith(url(service)));
    return page;
  }

  async function createAccount(adminPage: Page, email: string, name: string, role: string): Promise<void> {
    await adminPage.locator('#new-email').fill(email);
    await adminPage.locator('#new-name').fill(name);
    await adminPage.locator('#new-role').selectOption(role);
    await adminPage.locator('#new-password').fill(password);
    await adminPage.getByRole('button', { name: 'Create account' }).click();
    await adminPage.getByText('Account created.').waitFor();
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  it('goes from accounts to tasks to money to email to analytics, through the SSO', async () => {
    const admin = await personAt('auth', developmentAdmin.email, developmentAdmin.password, '/admin/accounts');
    expect(await admin.getByTestId('current-role').textContent()).toBe('admin');
    await createAccount(admin, 'kesha@uberpopug.test', 'Kesha Worker', 'worker');
    await createAccount(admin, 'boss@uberpopug.test', 'Boss Manager', 'manager');
    expect(await admin.getByTestId('account-row').count()).toBe(3);
    await shot(admin, '1-accounts');

    await waitFor(
      'tasks to know the new accounts',
      async () => (await ates.services['tasks']!.context.pool.query('SELECT 1 FROM directory_accounts')).rowCount === 3,
    );
    const worker = await personAt('tasks', 'kesha@uberpopug.test', password);
    await worker.getByLabel('Title').fill('Fix the [beak] scanner');
    await worker.getByRole('button', { name: 'Create task' }).click();
    await worker.getByText('The title must not contain [ or ]').waitFor();
    await worker.getByLabel('Title').fill('Fix the beak scanner');
    await worker.getByLabel('Jira id').fill('UBERPOP-42');
    await worker.getByLabel('Description').fill('It reads round beaks as square');
    await worker.getByRole('button', { name: 'Create task' }).click();
    await worker.getByText('Task created and assigned.').waitFor();
    expect(await worker.getByRole('link', { name: 'Shuffle…' }).count()).toBe(0);
    await worker.getByRole('link', { name: 'My tasks →' }).click();
    const row = worker.locator('[data-testid="task-row"][data-title="Fix the beak scanner"]');
    await row.waitFor();
    await shot(worker, '2-my-tasks');
    await row.getByRole('button', { name: 'Done' }).click();
    await worker.getByText('Marked done. Well done, popug!').waitFor();
    expect(await row.locator('.pill.done').textContent()).toBe('done');

    const manager = await personAt('tasks', 'boss@uberpopug.test', password);
    await manager.getByRole('link', { name: 'Shuffle…' }).click();
    await manager.getByRole('heading', { name: /^Reassign all \d+ open tasks\?$/ }).waitFor();
    await shot(manager, '3-shuffle-confirm');
    await manager.getByRole('button', { name: /^Shuffle \d+ tasks$/ }).click();
    await manager.getByText(/Shuffled: \d+ open tasks reassigned\./).waitFor();
    await shot(manager, '3-tasks-manager');

    await createAccount(admin, 'counter@uberpopug.test', 'Counting Accountant', 'accountant');
    await waitFor('the reward in the ledger', async () => {
      const { rows } = await ates.services['accounting']!.context.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'reward'",
      );
      return rows[0]!.n === 1;
    });
    const accountant = await personAt('accounting', 'counter@uberpopug.test', password);
    await accountant.getByText('Top management earned today').waitFor();
    expect(await accountant.locator('figure[aria-label^="Management earnings per day"] rect').count()).toBe(30);
    await accountant.getByRole('button', { name: 'Close day…' }).click();
    await accountant.getByRole('button', { name: /^Close \d{4}-\d{2}-\d{2} and pay out$/ }).click();
    await accountant.getByText(/is closed: 1 payouts made\./).waitFor();
    await shot(accountant, '4-accounting');

    // After an early close the page opens on the next business day, where new postings go;
    // the closed day is one step back.
    const closedDay = ates.services['accounting']!.context.clock.today();
    const workerAccounting = await worker.context().newPage();
    await workerAccounting.goto(url('accounting'));
    await workerAccounting.getByRole('heading', { name: 'My balance' }).waitFor();
    await workerAccounting.getByTestId('audit-log-empty').waitFor();
    await workerAccounting.goto(new URL(`/?day=${closedDay}`, url('accounting')).href);
    expect(
      await workerAccounting
        .locator('[data-testid="audit-log"] tr[data-kind]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))),
    ).toEqual(['fee', 'reward', 'payout']);
    expect(await workerAccounting.getByTestId('balance').textContent()).toBe('$0.00');
    await shot(workerAccounting, '5-my-account');

    const mailbox = await worker.context().newPage();
    await waitFor('the payout email', async () => {
      await mailbox.goto(url('notifications'));
      return (await mailbox.getByTestId('mail').count()) === 1;
    });
    expect(await mailbox.getByTestId('mail').locator('h2').textContent()).toMatch(
      /^Your aTES payout for \d{4}-\d{2}-\d{2}: \$\d+\.\d{2}$/,
    );
    await shot(mailbox, '6-mailbox');

    const { rows } = await ates.services['accounting']!.context.pool.query<{ earned: number }>(
      "SELECT sum(CASE kind WHEN 'fee' THEN amount ELSE -amount END)::bigint AS earned FROM ledger_transfers WHERE kind <> 'payout'",
    );
    const analytics = await admin.context().newPage();
    await waitFor('analytics to show the day', async () => {
      await analytics.goto(url('analytics'));
      return (await analytics.getByTestId('most-expensive-day').textContent())?.includes('Fix the beak scanner');
    });
    const earned = rows[0]!.earned;
    const money = `${earned < 0 ? '−' : ''}$${Math.floor(Math.abs(earned) / 100)}.${String(Math.abs(earned) % 100).padStart(2, '0')}`;
    expect(await analytics.getByTestId('earned-today').textContent()).toBe(money);
    expect(await analytics.getByTestId('in-the-red').textContent()).toBe('0');
    expect(await analytics.getByTestId('most-expensive-day').textContent()).toContain('UBERPOP-42');
    await shot(analytics, '7-analytics');

    const forbidden = await worker.context().newPage();
    const response = await forbidden.goto(url('analytics'));
    expect(response?.status()).toBe(403);
    await forbidden.getByRole('heading', { name: 'Not for your role' }).waitFor();
    await shot(forbidden, '8-analytics-forbidden');

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await phone.context().addCookies(await worker.context().cookies());
    await phone.goto(url('tasks', '/my'));
    await phone.getByRole('heading', { name: 'My tasks' }).waitFor();
    expect(await phone.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await shot(phone, '9-my-tasks-phone');
    // The stylesheet is a file the style policy allows: were it refused, the header would be unstyled.
    expect(await phone.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")).toBe(
      'rgb(47, 111, 79)',
    );

    const phoneOf = async (person: Page, service: string, path: string) => {
      const page = await (
        await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
      ).newPage();
      await page.context().addCookies(await person.context().cookies());
      await page.goto(url(service, path));
      return page;
    };
    const accountsOnPhone = await phoneOf(admin, 'auth', '/admin/accounts');
    const save = await accountsOnPhone.getByRole('button', { name: 'Save' }).first().boundingBox();
    expect(save!.x + save!.width).toBeLessThanOrEqual(390);
    expect(await accountsOnPhone.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await shot(accountsOnPhone, '10-accounts-phone');

    const ledgerOnPhone = await phoneOf(accountant, 'accounting', '/');
    const label = ledgerOnPhone.locator('figure.chart text').first();
    expect(await label.evaluate((text) => text.getBoundingClientRect().height)).toBeGreaterThanOrEqual(10);
    expect(await ledgerOnPhone.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    // The bars scroll sideways from their right end, beside a value axis that stays: today's
    // bar and the axis labels are both on screen.
    const today = await ledgerOnPhone.locator('figure.chart rect').last().boundingBox();
    const axis = await ledgerOnPhone.locator('figure.chart .chart-axis').boundingBox();
    expect({ today: today!.x + today!.width <= 390, axis: axis!.x >= 0 }).toEqual({ today: true, axis: true });
    await shot(ledgerOnPhone, '11-accounting-phone');
  }, 180_000);
});
