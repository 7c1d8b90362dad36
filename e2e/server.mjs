// Starts a real `doroga serve` on a fresh SQLite database with the demo loaded and known
// passwords, and opens Debian's chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const PASSWORD = 'Тест-пароль-2026';
const BIN = process.env.DOROGA_BIN ?? resolve(import.meta.dirname, '../target/debug/doroga');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'doroga-e2e-'));
  const env = { ...process.env, DOROGA_DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}?mode=rwc`, RUST_LOG: 'warn' };
  execFileSync(BIN, ['demo'], { env, stdio: 'ignore' });
  for (const login of ['school1', 'balkhash', 'auditor', 'sponsor', 'sponsor2']) {
    execFileSync(BIN, ['user', 'password', login, '--password', PASSWORD], { env, stdio: 'ignore' });
  }
  const child = spawn(BIN, ['serve', '--bind', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((ok) => child.once('exit', ok));
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
