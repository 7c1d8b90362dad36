// Starts a real `doroga serve` on a fresh SQLite database with the demo loaded and known
// passwords, and opens Debian's chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { BIN, PASSWORD, serve } from './procs.mjs';

export { PASSWORD };
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'doroga-e2e-'));
  const env = { ...process.env, DOROGA_DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}?mode=rwc`, RUST_LOG: 'warn' };
  execFileSync(BIN, ['demo'], { env, stdio: 'ignore' });
  for (const login of ['school1', 'balkhash', 'karaganda', 'republic', 'raid', 'auditor', 'sponsor', 'sponsor2']) {
    execFileSync(BIN, ['user', 'password', login, '--password', PASSWORD], { env, stdio: 'ignore' });
  }
  const server = await serve(env);
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Violations axe rates serious or critical on the page as it is now. */
export async function seriousViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function signIn(page, url, login, password) {
  await page.goto(`${url}/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('button[type=submit]:not(.link)');
}

/** GET (or POST `body` as JSON) from inside the page: its session, its origin. */
export function pageApi(page, path, body) {
  return page.evaluate(async ([p, b]) => {
    const init = b === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) };
    const r = await fetch(p, init);
    return { status: r.status, json: await r.json() };
  }, [path, body]);
}

/** A phone: 360×740, touch, mobile emulation. */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
