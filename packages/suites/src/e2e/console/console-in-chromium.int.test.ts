import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { previousCRMonth } from '@banca/domain';
import { bancaApiDocument } from '@banca/http-koa';
import { call, useBancaCleanup, waitUntil } from '../process/banca-process.test-helpers';
import { type ConsoleWorld, consoleLink, createConsoleWorld, newConsolePage, PHONE, screenshot, seriousAxeViolations } from './console-world.test-helpers';

const JOB_NAMES = ['sorteos.auto-open', 'sorteos.auto-create', 'sorteos.auto-close', 'settlement', 'monthly-closing', 'activity-log.cleanup', 'allowance.enqueue'];
const CR_TIME = /\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} CR/;

/** Waits until no part of the page says it is still loading. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction("![...document.querySelectorAll('[role=status]')].some((node) => node.textContent.startsWith('Loading'))", undefined, { timeout: 30_000 });
}

/** Opens a console page on a signed-in page and waits for its heading and data. */
async function open(page: Page, base: string, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(`${base}/console${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await settled(page);
}

describe('the operator console in Chromium, on an all-in-one with the demo banca on PostgreSQL', function () {
  this.timeout(180_000);
  useBancaCleanup();
  let world: ConsoleWorld;
  let page: Page;
  let problems: string[];
  const month = previousCRMonth(new Date());

  before(async () => {
    world = await createConsoleWorld();
    // Last month's books closed, so the closing and reconciliation pages have a month to show, and the
    // nightly jobs run once, so the overview has runs to show.
    const closed = await world.api('POST', '/admin/jobs/monthly-closing/trigger', { month });
    expect(closed.status, closed.text).to.equal(200);
    expect(closed.body).to.deep.include({ status: 'SUCCESS' });
    for (const job of ['sorteos.auto-close', 'activity-log.cleanup', 'sorteos.auto-open', 'sorteos.auto-create']) {
      const ran = await world.api('POST', `/admin/jobs/${job}/trigger`, {});
      expect(ran.body, ran.text).to.deep.include({ status: 'SUCCESS' });
    }
    ({ page, problems } = await newConsolePage(world));
  });
  after(async () => {
    await world?.close();
  });
  afterEach(function () {
    if (problems === undefined) return;
    if (this.currentTest?.state === 'passed') expect(problems, 'errors in the browser console').to.deep.equal([]);
    problems.length = 0;
  });

  it('serves the API document the console was typed from', async () => {
    const served = await call(world.base, 'GET', '/openapi.json');
    expect(served.body).to.deep.equal(JSON.parse(JSON.stringify(bancaApiDocument())));
  });

  it('signs in with the link `banca console` prints, wipes the token from the address bar, and lists every job', async () => {
    await page.goto(`${world.base}/console`);
    await page.getByRole('heading', { name: 'Banca Jobs console' }).waitFor();
    await screenshot(page, 'sign-in');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    expect(world.started.started.payload?.['console'], 'the start-up line says where the console is').to.equal(
      `http://localhost:${new URL(world.base).port}/console (npx banca console prints a sign-in link)`,
    );
    const link = await consoleLink(world);
    expect(link).to.match(new RegExp(`^${world.base}/console#token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(page.url()).to.equal(`${world.base}/console`);
    for (const name of JOB_NAMES) await page.locator(`tr[data-job="${name}"]`).waitFor();
    expect(await page.locator('tr[data-job]').count()).to.equal(JOB_NAMES.length);
    expect(await page.locator('tr[data-job="settlement"]').innerText()).to.match(CR_TIME);
    expect(world.started.banca.stdout, 'the token never reaches a server log').not.to.contain(link.split('#token=')[1]);
  });

  it('turns away a guardian\'s token, an expired one and a forged one with a message, never a blank page', async () => {
    const { context, page: other } = await newConsolePage(world);
    const cases: Array<[string, RegExp]> = [
      [world.token({ sub: 'a-guardian', role: 'guardian' }, 600), /guardian token: the console needs an admin token/],
      [world.token({ sub: 'ops', role: 'admin' }, -60), /That token expired at/],
    ];
    for (const [token, message] of cases) {
      await other.goto(`${world.base}/console#token=${token}`);
      await other.getByTestId('sign-in-problem').filter({ hasText: message }).waitFor();
    }
    // Well formed, but not signed with the service's secret: the API refuses it, and the console says so.
    const forged = `${world.adminToken.split('.').slice(0, 2).join('.')}.${Buffer.from('not the signature').toString('base64url')}`;
    await other.goto(`${world.base}/console/runs#token=${forged}`);
    await other.getByTestId('sign-in-problem').filter({ hasText: /The service refused the token \(AUTH\.INVALID_TOKEN/ }).waitFor();
    await other.getByLabel('Admin token').fill(world.adminToken);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    await context.close();
  });

  it('runs settlement from "Run a job", follows it to SUCCESS, and finds it in Runs', async () => {
    await open(page, world.base, '/run-job', 'Run a job');
    await page.getByLabel('Job').selectOption('settlement');
    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('button', { name: 'Yes, run it' }).click();
    await page.getByTestId('followed-status').filter({ hasText: 'SUCCESS' }).waitFor({ timeout: 60_000 });
    const heading = await page.getByRole('heading', { name: /settlement, run #\d+/ }).innerText();
    const runId = /#(\d+)/.exec(heading)![1]!;
    await screenshot(page, 'run-a-job');

    await open(page, world.base, '/runs', 'Runs');
    await page.getByLabel('Job').selectOption('settlement');
    await page.getByLabel('Trigger').selectOption('manual');
    await page.getByRole('button', { name: 'Show runs' }).click();
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.waitFor();
    expect(await row.innerText()).to.contain('SUCCESS');
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `Run #${runId}` }).waitFor();
    expect(await page.locator('.summary').innerText()).to.contain('settledCount');
  });

  it('shows the API\'s error at the cron field, then saves a good rule after showing its next runs in CR time', async () => {
    await open(page, world.base, '/settlement', 'Settlement config');
    const cron = page.getByLabel('Schedule (cron rule, UTC)');
    await cron.fill('0 25 * * *');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#cronSchedule-error').innerText()).to.match(/^SCHEDULE\.INVALID_CRON: /);
    expect(await cron.getAttribute('aria-invalid')).to.equal('true');
    expect((await world.api('GET', '/admin/settlement-config')).body).to.deep.include({ cronSchedule: '0 3 * * *' });

    await cron.fill('30 2 * * *');
    const preview = page.getByTestId('cron-preview').locator('li');
    expect(await preview.count()).to.equal(5);
    for (const text of await preview.allInnerTexts()) expect(text).to.match(/^\d{2} [A-Z][a-z]{2} \d{4}, 20:30 CR$/);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('saved').filter({ hasText: /, 20:30 CR/ }).waitFor();
    expect((await world.api('GET', '/admin/settlement-config')).body).to.deep.include({ cronSchedule: '30 2 * * *' });
    await screenshot(page, 'settlement-config');
    expect((await world.api('PATCH', '/admin/settlement-config', { cronSchedule: '0 3 * * *' })).status).to.equal(200);
  });

  it('replays a dead letter of the real pipeline, which then leaves the open list', async () => {
    const deadLetterId = await givenDeadLetter(world);
    await open(page, world.base, '/dead-letters', 'Dead letters');
    const row = page.locator(`tr[data-dead-letter-id="${deadLetterId}"]`);
    await row.waitFor();
    expect(await row.innerText()).to.contain('ALLOWANCE.INSUFFICIENT_FUNDS');
    await screenshot(page, 'dead-letters');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Replay chosen (1)' }).click();
    expect(await page.getByTestId('replay-result').innerText()).to.match(/^Replayed 1\.$/);
    await row.waitFor({ state: 'detached' });
    await waitUntil(async () => {
      const letter = await world.api('GET', `/admin/dead-letters/${deadLetterId}`);
      return (letter.body as { status: string }).status === 'replayed' ? true : undefined;
    }, 'the dead letter to be replayed');
  });

  it('downloads a month\'s closing as the CSV the API serves', async () => {
    await open(page, world.base, `/closings?month=${month}&dimension=vendedor`, 'Closings');
    await page.getByTestId('closing-totals').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).to.equal(`closing-${month}-vendedor.csv`);
    const downloaded = readFileSync((await download.path())!, 'utf8');
    const served = await fetch(`${world.base}/admin/closings?month=${month}&dimension=vendedor`, { headers: { authorization: `Bearer ${world.adminToken}`, accept: 'text/csv' } });
    expect(served.status).to.equal(200);
    expect(downloaded).to.equal(await served.text());
    expect(downloaded.split('\n').length).to.be.greaterThan(2);
    expect(await page.getByTestId('closing-totals').innerText()).to.match(/₡[\d,]+\.\d{2}/);
  });

  it('says the demo month reconciles clean', async () => {
    await open(page, world.base, `/reconciliation?month=${month}`, 'Reconciliation');
    expect(await page.getByTestId('reconciliation-result').innerText()).to.equal(`${month} is clean: no discrepancies.`);
  });

  it('has no serious or critical axe-core violations on any page, at laptop and phone width (screenshots in docs/console)', async () => {
    const guardian = await demoPerson(world, 'guardians', 'María Fernández');
    const pages: Array<[string, string, string | RegExp]> = [
      ['overview', '/', 'Overview'],
      ['runs', '/runs', 'Runs'],
      ['run-a-job', '/run-job', 'Run a job'],
      ['settlement-config', '/settlement', 'Settlement config'],
      ['dead-letters', '/dead-letters?status=any', 'Dead letters'],
      ['allowances', `/allowances?by=guardian&id=${guardian}`, 'Allowances'],
      ['closings', `/closings?month=${month}&dimension=ventana`, 'Closings'],
      ['reconciliation', `/reconciliation?month=${month}`, 'Reconciliation'],
    ];
    const found: Record<string, unknown> = {};
    for (const [name, path, heading] of pages) {
      await open(page, world.base, path, heading);
      if (name === 'allowances') {
        // The schedule whose dead letter was replayed, credited since.
        await page.locator('tr', { hasText: '₡100.00' }).getByRole('button', { name: 'Show credits' }).click();
        await page.getByRole('heading', { name: /^Credits of the ₡100\.00 monthly allowance/ }).waitFor();
        await settled(page);
      }
      if (name === 'runs') {
        await page.locator('tr[data-run-id]').first().getByRole('link').click();
        await page.getByRole('heading', { level: 1, name: /^Run #/ }).waitFor();
        await settled(page);
        const detail = await seriousAxeViolations(page);
        if (detail.length > 0) found['run-detail'] = detail;
        await screenshot(page, 'run-detail');
        await open(page, world.base, path, heading);
      }
      const violations = await seriousAxeViolations(page);
      if (violations.length > 0) found[name] = violations;
      if (!['run-a-job', 'settlement-config', 'dead-letters'].includes(name)) await screenshot(page, name);
    }
    const phone = await newConsolePage(world, PHONE);
    await phone.page.goto(await consoleLink(world));
    await phone.page.locator('tr[data-job="settlement"]').waitFor();
    await settled(phone.page);
    const phoneViolations = await seriousAxeViolations(phone.page);
    if (phoneViolations.length > 0) found['overview at phone width'] = phoneViolations;
    await screenshot(phone.page, 'overview-phone');
    await phone.context.close();
    expect(found).to.deep.equal({});
  });
});

async function demoPerson(world: ConsoleWorld, table: 'guardians' | 'juniors', name: string): Promise<string> {
  const row = await world.db.knex(table).where({ name }).first('id');
  if (!row) throw new Error(`no ${name} among the demo ${table}`);
  return String((row as { id: string }).id);
}

/**
 * A dead letter made by the real pipeline: María schedules more than she holds for Mateo, the enqueue
 * job publishes the run, the worker fails it once (one attempt allowed) and the DLQ records it. She
 * then lowers the amount, so the replay can credit it.
 */
async function givenDeadLetter(world: ConsoleWorld): Promise<string> {
  const guardianId = await demoPerson(world, 'guardians', 'María Fernández');
  const juniorId = await demoPerson(world, 'juniors', 'Mateo Fernández');
  const guardianToken = world.token({ sub: guardianId, role: 'guardian' }, 600);
  const created = await call(world.base, 'POST', `/guardians/me/allowances/${juniorId}`, { token: guardianToken, body: { amount: '60000.00', frequency: 'MONTHLY', status: 'ON' } });
  expect(created.status, created.text).to.equal(201);
  const scheduleId = (created.body as { id: string }).id;
  const enqueued = await world.api('POST', '/admin/jobs/allowance.enqueue/trigger', {});
  expect(enqueued.body, enqueued.text).to.deep.include({ status: 'SUCCESS' });
  const deadLetterId = await waitUntil(async () => {
    const open = await world.api('GET', `/admin/dead-letters?status=open&scheduleId=${scheduleId}`);
    return (open.body as { items: Array<{ id: string }> }).items[0]?.id;
  }, 'the failed run to be recorded as a dead letter');
  const lowered = await call(world.base, 'PATCH', `/guardians/me/allowances/${scheduleId}`, { token: guardianToken, body: { amount: '100.00' } });
  expect(lowered.status, lowered.text).to.equal(200);
  return deadLetterId;
}
