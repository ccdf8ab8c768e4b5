import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { signToken } from '@banca/http-koa';
import { call, createTestDatabase, REPO_ROOT, runBanca, startBanca, type BancaEnv, type StartedBanca, type TestDatabase } from '../process/banca-process.test-helpers';

/** Debian's chromium (`apt-get install chromium`); Playwright's own browser download is not used. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO_ROOT, 'docs', 'console');
const AUTH_SECRET = 'console-e2e-secret-of-at-least-32-chars';

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** An all-in-one on a PostgreSQL database of its own, with the demo banca, and a headless Chromium. */
export interface ConsoleWorld {
  db: TestDatabase;
  env: BancaEnv;
  started: StartedBanca;
  base: string;
  browser: Browser;
  adminToken: string;
  /** The admin API, as the console calls it. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string; contentType: string }>;
  token(claims: { sub: string; role: 'admin' | 'guardian' }, seconds: number): string;
  close(): Promise<void>;
}

export async function createConsoleWorld(): Promise<ConsoleWorld> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  if (!existsSync(join(REPO_ROOT, 'packages', 'console', 'dist', 'index.html'))) throw new Error('the console is not built: run `npm run build` first');
  const db = await createTestDatabase();
  // The in-process queue with one attempt: a run that fails once is a dead letter at once.
  const env: BancaEnv = { DATABASE_URL: db.url, AUTH_JWT_SECRET: AUTH_SECRET, ALLOWANCE_MAX_RETRIES: '1', LOG_LEVEL: 'info' };
  const seeded = await runBanca(['seed', '--demo'], env);
  if (seeded.exit.code !== 0) throw new Error(`banca seed --demo failed\n${seeded.describe()}`);
  const started = await startBanca('all-in-one', env, { lifetime: 'suite' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const base = started.base!;
  const token = (claims: { sub: string; role: 'admin' | 'guardian' }, seconds: number) => signToken(claims, AUTH_SECRET, seconds);
  const adminToken = token({ sub: 'console-e2e', role: 'admin' }, 3600);
  return {
    db,
    env,
    started,
    base,
    browser,
    adminToken,
    token,
    api: (method, path, body) => call(base, method, path, { token: adminToken, ...(body === undefined ? {} : { body }) }),
    close: async () => {
      await browser.close();
      await started.banca.kill();
      await db.drop();
    },
  };
}

/** A fresh browser context (no stored token) with axe-core allowed in past the console's CSP. */
export async function newConsolePage(world: ConsoleWorld, viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await world.browser.newContext({ viewport, bypassCSP: true, timezoneId: 'Asia/Tokyo', locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A refused request is logged by Chromium as a console error; the refusals a test provokes are expected, a 5xx never is.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.url()}`);
  });
  return { context, page, problems };
}

/** The `banca console` sign-in link for this service (the command run as an operator runs it). */
export async function consoleLink(world: ConsoleWorld): Promise<string> {
  const printed = await runBanca(['console', '--url', world.base], world.env);
  if (printed.exit.code !== 0) throw new Error(`banca console failed\n${printed.describe()}`);
  return printed.stdout.trim();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

const AXE_SOURCE = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.addScriptTag({ content: AXE_SOURCE() });
  // Run in the page, where axe and the document live.
  const violations = (await page.evaluate(`(async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  })()`)) as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
