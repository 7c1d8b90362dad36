// Issue 16: a raid member's field page on a phone that loses its connection. The phone is cut
// off twice over: the browser context is offline and the server itself is stopped, so nothing
// but the service worker's copy and the phone's own store can answer. Three findings are saved
// on the phone, the page is reloaded offline, the server comes back on the same address, and the
// server must hold exactly those three; the same batch sent five times leaves one copy of each;
// a change made offline to a finding the coordinator changed meanwhile shows as a conflict on
// the phone and waits on the coordinator's raid page, where it is decided.
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
  data = demoDatabase('field', 'sqlite');
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

async function states(page) {
  return page.$$eval('#outbox li', (lis) => lis.map((li) => li.dataset.state));
}

async function addFinding(page, { sex, age, place, action, at }) {
  await page.selectOption('#sex', sex);
  await page.fill('#age', age);
  await page.selectOption('#place', place);
  await page.fill('#found_at', at);
  await page.selectOption('#action', action);
  await page.click('#finding-save');
}

test('three findings made offline reach the server once, and a conflicting change waits for the coordinator', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'ru-RU', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await signIn(page, base, 'raid', PASSWORD);
  await page.waitForURL(/\/raids$/);
  const raids = await api(page, '/api/v1/raids');
  const raid = raids.json.rows.find((r) => r.held_on === '2026-08-28');
  assert.ok(raid, JSON.stringify(raids.json));
  const field = `${base}/raids/${raid.id}/field`;
  const already = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json.length;

  // Online once: the worker installs, takes the page and keeps it.
  await page.goto(field);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  assert.deepEqual(await seriousViolations(page), []);

  // The connection is gone: the context is offline and the server is down.
  await context.setOffline(true);
  await server.stop();
  await page.waitForSelector('#net-state:has-text("Нет связи")');
  const found = [
    { sex: 'male', age: '12', place: 'computer_club', action: 'taken_home', at: '21:05' },
    { sex: 'female', age: '14', place: 'station', action: 'police', at: '21:30' },
    { sex: 'male', age: '9', place: 'market', action: 'kdn', at: '22:10' },
  ];
  for (const [i, f] of found.entries()) {
    await addFinding(page, f);
    await page.waitForFunction((n) => document.querySelectorAll('#outbox li').length === n, i + 1);
  }
  assert.deepEqual(await states(page), ['local', 'local', 'local']);
  assert.match(await page.textContent('#outbox'), /Сохранено на телефоне/);

  // Reloaded offline: the worker's copy of the page, the phone's records.
  await page.reload();
  await page.waitForSelector('#outbox li');
  assert.deepEqual(await states(page), ['local', 'local', 'local']);
  const ids = await page.$$eval('#outbox li', (lis) => lis.map((li) => li.dataset.clientId));
  assert.equal(new Set(ids).size, 3);

  // Back online, the server on the same address: all three are sent, once.
  server = await serve(data.env, [], `127.0.0.1:${port}`);
  await context.setOffline(false);
  await page.waitForFunction(() => [...document.querySelectorAll('#outbox li')].every((li) => li.dataset.state === 'sent'), null, { timeout: 20_000 });
  assert.match(await page.textContent('#outbox'), /Отправлено/);
  let held = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json;
  assert.equal(held.length, already + 3);
  assert.deepEqual(held.filter((f) => ids.includes(f.client_id)).length, 3);

  // The same batch five times: nothing doubles.
  const items = held.filter((f) => ids.includes(f.client_id)).map((f) => ({
    raid_id: raid.id,
    finding: { client_id: f.client_id, sex: f.sex, age: String(f.age), place: f.place, found_at: f.found_at, action: f.action,
      address: f.address ?? '', circumstances: f.circumstances ?? '', iin: f.iin ?? '', name: f.name ?? '' },
  }));
  for (let round = 0; round < 5; round += 1) {
    const r = await api(page, '/api/v1/sync', { items });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.results.map((x) => x.state), ['saved', 'saved', 'saved']);
  }
  held = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json;
  assert.equal(held.length, already + 3);

  // The coordinator corrects one on the server while the phone, offline again, changes it too.
  const coordinator = await browser.newContext({ locale: 'ru-RU' });
  const desk = await coordinator.newPage();
  await signIn(desk, base, 'balkhash', PASSWORD);
  await desk.waitForSelector('h1');
  const target = held.find((f) => f.client_id === ids[0]);
  const changed = { ...items.find((i) => i.finding.client_id === ids[0]).finding, action: 'taken_to_school' };
  const r = await api(desk, `/api/v1/raids/${raid.id}/findings`, { base_version: target.version, finding: changed });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  await context.setOffline(true);
  await page.click(`#outbox li[data-client-id="${ids[0]}"] button`);
  await page.selectOption('#action', 'medical');
  await page.click('#finding-save');
  await page.waitForSelector(`#outbox li[data-client-id="${ids[0]}"][data-state="local"]`);
  await context.setOffline(false);
  await page.waitForSelector(`#outbox li[data-client-id="${ids[0]}"][data-state="conflict"]`, { timeout: 20_000 });
  assert.match(await page.textContent(`#outbox li[data-client-id="${ids[0]}"]`), /Расхождение/);
  held = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json;
  assert.equal(held.find((f) => f.client_id === ids[0]).action, 'taken_to_school', 'the server change was not overwritten');
  assert.equal(held.length, already + 3);

  // The coordinator sees both sides and takes the phone's.
  await desk.goto(`${base}/raids/${raid.id}`);
  await desk.waitForSelector('#conflicts');
  assert.match(await desk.textContent('#conflicts'), /Передан медицинской службе/);
  assert.deepEqual(await seriousViolations(desk), []);
  await Promise.all([desk.waitForURL(/resolved=1/), desk.click('#conflicts button[value=yes]')]);
  held = (await api(desk, `/api/v1/raids/${raid.id}/findings`)).json;
  assert.equal(held.find((f) => f.client_id === ids[0]).action, 'medical');
  await coordinator.close();
  await context.close();
});

test('a camera-sized photo taken offline is made small on the phone and reaches the server once', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'ru-RU', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await signIn(page, base, 'raid', PASSWORD);
  await page.waitForURL(/\/raids$/);
  const raid = (await api(page, '/api/v1/raids')).json.rows.find((r) => r.held_on === '2026-08-28');
  const field = `${base}/raids/${raid.id}/field`;
  await page.goto(field);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForSelector('#photo-field:not([hidden])');

  // Offline, a picture as a phone's camera makes it (larger than the server takes), with a finding.
  await context.setOffline(true);
  const size = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [3000, 2400];
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < img.data.length; i += 1) img.data[i] = (i % 4 === 3) ? 255 : Math.random() * 256;
    ctx.putImageData(img, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 1));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'IMG_20260828_2140.jpg', { type: 'image/jpeg' }));
    document.getElementById('photo').files = dt.files;
    return blob.size;
  });
  assert.ok(size > 10 * 1024 * 1024, `the camera's picture is over the server's limit: ${size}`);
  await addFinding(page, { sex: 'female', age: '11', place: 'market', action: 'taken_to_school', at: '21:40' });
  await page.waitForSelector('#outbox li .outbox-photo[data-state="local"]');
  assert.match(await page.textContent('#outbox'), /Фото сохранено на телефоне/);
  const clientId = await page.$eval('#outbox li .outbox-photo', (p) => p.closest('li').dataset.clientId);

  // Back online: the finding, then its photo, each once, made small (random noise, the hardest
  // picture to compress, still comes to about 1 MB from over 10).
  await context.setOffline(false);
  await page.waitForSelector(`#outbox li[data-client-id="${clientId}"] .outbox-photo[data-state="sent"]`, { timeout: 30_000 });
  assert.match(await page.textContent(`#outbox li[data-client-id="${clientId}"]`), /Фото отправлено/);
  const held = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json.filter((f) => f.client_id === clientId);
  assert.equal(held.length, 1);
  assert.equal(held[0].photos.length, 1);
  const got = await page.evaluate(async (id) => (await (await fetch(`/api/v1/finding-photos/${id}`)).blob()).size, held[0].photos[0]);
  assert.ok(got > 10_000 && got < 2 * 1024 * 1024 && got * 5 < size, `shrunk on the phone: ${got} of ${size} bytes`);
  // Another round of sending changes nothing.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(500);
  const again = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json.find((f) => f.client_id === clientId);
  assert.equal(again.photos.length, 1);
  await context.close();
});

test('a record another account saved on this phone waits for that account and is not sent', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'ru-RU', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await signIn(page, base, 'raid', PASSWORD);
  await page.waitForURL(/\/raids$/);
  const raid = (await api(page, '/api/v1/raids')).json.rows.find((r) => r.held_on === '2026-08-28');
  await page.goto(`${base}/raids/${raid.id}/field`);
  await page.waitForSelector('#finding-form');
  // The page has opened the phone's store.
  await page.waitForFunction(() => document.getElementById('outbox-count')?.textContent !== undefined);
  await page.waitForTimeout(300);
  const clientId = 'a1b2c3d4-e5f6-4a1b-8c2d-3e4f5a6b7c8d';
  // As another raid member's phone session would have left it, not sent.
  await page.evaluate(([raidId, id]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('doroga-field', 1);
    req.onsuccess = () => {
      const t = req.result.transaction('outbox', 'readwrite');
      t.objectStore('outbox').put({
        client_id: id, raid_id: raidId, base_version: null, version: null, state: 'local', error: null,
        saved_at: new Date().toISOString(), photos: [], owner: 999999,
        finding: { client_id: id, iin: '', name: '', sex: 'male', age: '10', place: 'market', address: '', found_at: '20:00', circumstances: '', action: 'taken_home' },
      });
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error);
    };
  }), [raid.id, clientId]);
  await page.reload();
  await page.waitForSelector(`#outbox li[data-client-id="${clientId}"][data-state="other"]`);
  assert.match(await page.textContent('#outbox'), /другой учётной записью/);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(1000);
  const held = (await api(page, `/api/v1/raids/${raid.id}/findings`)).json;
  assert.equal(held.filter((f) => f.client_id === clientId).length, 0);
  await context.close();
});
