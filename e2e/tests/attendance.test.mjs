// Issue 16: a school's case of a pupil out of school on a phone that loses its connection. The
// phone is cut off twice over (the browser context offline, the server stopped): a step is saved
// on the phone, the page is reloaded from the service worker's copy, the server comes back on the
// same address, and the server holds the step once; the same step sent five times more is still
// one. Signing out drops the pages kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, seriousViolations, PASSWORD, PHONE, pageApi as api } from '../server.mjs';
import { demoDatabase, serve, freePort } from '../procs.mjs';

let data;
let server;
let port;
let base;
let browser;

before(async () => {
  data = demoDatabase('steps', 'sqlite');
  port = await freePort();
  server = await serve(data.env, [], `127.0.0.1:${port}`);
  base = server.url;
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  data?.drop();
});

test('a step made offline on a case reaches the server once', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'ru-RU', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await signIn(page, base, 'school1', PASSWORD);
  const out = (await api(page, '/api/v1/absences')).json.rows;
  const pupil = out.find((r) => r.surname === 'Жақсылықов' && r.case_status === 'open');
  assert.ok(pupil, JSON.stringify(out));
  const casePage = `${base}/attendance/cases/${pupil.case_id}`;
  const before = (await api(page, `/api/v1/cases/${pupil.case_id}`)).json.steps.length;

  // Online once: the worker installs and keeps the pages; an overdue step is flagged.
  await page.goto(casePage);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.goto(`${base}/attendance/roll`);
  await page.goto(casePage);
  assert.match(await page.textContent('#step-list'), /Просрочено/);
  assert.deepEqual(await seriousViolations(page), []);

  // No connection: the page comes from the worker, the step is kept on the phone.
  await context.setOffline(true);
  await server.stop();
  await page.reload();
  await page.waitForSelector('#step-form');
  const clientId = await page.inputValue('#step-form [name="client_id"]');
  await page.selectOption('#kind', 'talk');
  await page.fill('#due_on', '21.09.2026');
  await page.fill('#outcome', '');
  await page.click('#step-form button[type="submit"]');
  await page.waitForSelector('#step-outbox li[data-state="local"]');
  assert.match(await page.textContent('#step-outbox'), /Сохранено на телефоне/);
  await page.reload();
  await page.waitForSelector('#step-outbox li[data-state="local"]');

  // Back online on the same address: sent once, and the server's page shows it.
  server = await serve(data.env, [], `127.0.0.1:${port}`);
  await context.setOffline(false);
  await page.waitForURL(/saved=1/, { timeout: 20_000 });
  let steps = (await api(page, `/api/v1/cases/${pupil.case_id}`)).json.steps;
  assert.equal(steps.length, before + 1);
  assert.equal(steps.filter((s) => s.client_id === clientId).length, 1);

  // The same step five times more: still one.
  for (let round = 0; round < 5; round += 1) {
    const r = await api(page, `/api/v1/cases/${pupil.case_id}/steps`, { step: { client_id: clientId, kind: 'talk', due_on: '21.09.2026' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
  }
  steps = (await api(page, `/api/v1/cases/${pupil.case_id}`)).json.steps;
  assert.equal(steps.length, before + 1);

  // The day's roll offline: the pupil is marked back on the phone, and the return reaches the
  // server when the connection does.
  await context.setOffline(true);
  await page.goto(`${base}/attendance/roll`);
  await page.fill('#day', '15.09.2026');
  await page.check(`input[name="mark_${pupil.id}"][value="back"]`);
  await page.click('#roll-form button[type="submit"]');
  await page.waitForSelector('#roll-outbox li[data-state="local"]');
  await context.setOffline(false);
  await page.waitForURL(/roll\?saved=1/, { timeout: 20_000 });
  const back = (await api(page, `/api/v1/absences/${pupil.id}`)).json;
  assert.equal(back.returned_on, '2026-09-15', JSON.stringify(back));

  // Signing out drops the pages kept: offline, the case is not there any more.
  await page.goto(`${base}/`);
  // On a phone the menu is folded: the form is sent as its button would send it.
  await page.evaluate(() => document.querySelector('form[action="/logout"]').requestSubmit());
  await page.waitForURL(/\/login|\/public/);
  const kept = await page.evaluate(async (url) => Boolean(await caches.match(url)), casePage);
  assert.equal(kept, false);
  await context.close();
});
