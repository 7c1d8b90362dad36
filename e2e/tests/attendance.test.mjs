// Issue 16: a school's case of a pupil out of school on a phone that loses its connection. The
// phone is cut off twice over (the browser context offline, the server stopped): a step is saved
// on the phone, the page is reloaded from the service worker's copy, the server comes back on the
// same address, and the server holds the step once; the same step sent five times more is still
// one. Signing out drops the pages kept and the records sent. A step marked done offline after the district changed it
// on the server is never written over the district's: it waits as a conflict, which the district
// decides on the case's page.
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
  const onPhone = () => page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('doroga-steps');
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('steps')) { resolve([]); return; }
      const all = db.transaction('steps').objectStore('steps').getAll();
      all.onsuccess = () => resolve(all.result.map((r) => r.state));
    };
  }));
  assert.ok((await onPhone()).includes('sent'), 'the step sent is on the phone before signing out');
  await page.goto(`${base}/`);
  // On a phone the menu is folded: the form is sent as its button would send it.
  await page.evaluate(() => document.querySelector('form[action="/logout"]').requestSubmit());
  await page.waitForURL(/\/login|\/public/);
  const kept = await page.evaluate(async (url) => Boolean(await caches.match(url)), casePage);
  assert.equal(kept, false);
  // …and the records the server holds already: the step sent is no longer on the phone.
  for (let i = 0; i < 50 && (await onPhone()).includes('sent'); i += 1) await page.waitForTimeout(100);
  assert.deepEqual((await onPhone()).filter((s) => s === 'sent'), []);
  await context.close();
});

test('a step marked done offline after the district changed it waits for the district', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'ru-RU', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await signIn(page, base, 'school1', PASSWORD);
  const out = (await api(page, '/api/v1/absences')).json.rows;
  const pupil = out.find((r) => r.surname === 'Нұрланова' && r.case_status === 'open');
  assert.ok(pupil, JSON.stringify(out));
  const made = await api(page, `/api/v1/cases/${pupil.case_id}/steps`, { step: { kind: 'call', due_on: '25.09.2026' } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const stepId = made.json.id;
  const casePage = `${base}/attendance/cases/${pupil.case_id}`;
  await page.goto(casePage);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  // Offline, the school marks the step done: kept on the phone with the version it was shown.
  await context.setOffline(true);
  await page.fill(`#done-${stepId}`, '25.09.2026');
  await page.fill(`#outcome-${stepId}`, 'Мама обещала привести');
  await page.click(`#step-${stepId} form button[type="submit"]`);
  await page.waitForSelector(`#step-outbox li[data-step="${stepId}"][data-state="local"]`);

  // Meanwhile the district marks the same step on the server.
  const district = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
  const dp = await district.newPage();
  await signIn(dp, base, 'balkhash', PASSWORD);
  const put = await dp.evaluate(async (id) => {
    const step = { kind: 'call', due_on: '25.09.2026', done_on: '24.09.2026', outcome: 'Семья уехала к родственникам' };
    const r = await fetch(`/api/v1/steps/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: 1, step }) });
    return r.status;
  }, stepId);
  assert.equal(put, 200);

  // Back online: the phone's change is not written over the district's; it waits, and says so.
  await context.setOffline(false);
  await page.waitForSelector(`#step-outbox li[data-step="${stepId}"][data-state="conflict"]`, { timeout: 20_000 });
  assert.match(await page.textContent('#step-outbox'), /Расхождение/);
  const stepNow = async () => (await api(page, `/api/v1/cases/${pupil.case_id}`)).json.steps.find((s) => s.id === stepId);
  assert.equal((await stepNow()).outcome, 'Семья уехала к родственникам');

  // The district sees both sides on the case and takes the phone's.
  await dp.goto(casePage);
  const both = await dp.textContent('#step-conflicts');
  assert.match(both, /Мама обещала привести/);
  assert.match(both, /Семья уехала к родственникам/);
  assert.deepEqual(await seriousViolations(dp), []);
  // On the district's phone too: no sideways scroll, both buttons in reach.
  assert.ok(await dp.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await dp.locator('#step-conflicts button[value="yes"]').scrollIntoViewIfNeeded();
  assert.ok(await dp.locator('#step-conflicts button[value="no"]').isVisible());
  await dp.click('#step-conflicts button[value="yes"]');
  await dp.waitForURL(/saved=1/);
  const after = await stepNow();
  assert.equal(after.outcome, 'Мама обещала привести');
  assert.equal(after.version, 3);
  await district.close();
  await context.close();
});
