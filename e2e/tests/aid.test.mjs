// Journey of issue 4: a sponsor reserves a child's need and a second sponsor cannot; the school
// records the delivery; the public transparency page shows the new totals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, seriousViolations, signIn, PASSWORD } from '../server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('one sponsor holds a need, the other cannot, the school delivers, the public totals move', async () => {
  const visitor = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  await visitor.goto(`${server.url}/public`);
  const before = await visitor.textContent('#public-summary');
  assert.match(before, /Спонсор\s*0 ₸/);
  assert.deepEqual(await seriousViolations(visitor), []);

  const a = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  await signIn(a, server.url, 'sponsor', PASSWORD);
  await a.waitForSelector('h1:has-text("Кабинет спонсора")');
  const who = (await a.locator('table tbody tr td').first().textContent()).trim();
  assert.match(who, /^D-\d{6}: (девочка|мальчик), \d+ класс$/, 'a code, never a name');
  const action = await a.locator('form[action^="/sponsor/reserve/"]').first().getAttribute('action');
  await a.locator('form[action^="/sponsor/reserve/"] button').first().click();
  await a.waitForSelector('text=Потребность забронирована за вами на 48 часов.');
  assert.deepEqual(await seriousViolations(a), []);

  const b = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  await signIn(b, server.url, 'sponsor2', PASSWORD);
  await b.waitForSelector('h1:has-text("Кабинет спонсора")');
  assert.equal(await b.locator(`form[action="${action}"]`).count(), 0, 'the held need is gone for the other sponsor');
  const response = await b.request.post(`${server.url}${action}`, { headers: { origin: server.url } });
  assert.equal(response.status(), 422);
  assert.match(await response.text(), /Эту потребность уже забронировал другой спонсор\./);

  const school = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  await signIn(school, server.url, 'school1', PASSWORD);
  await school.waitForSelector('h1');
  const childId = Number(who.slice(2, 8));
  await school.goto(`${server.url}/children/${childId}`);
  await school.click('#holds button:has-text("Отметить переданной")');
  await school.waitForSelector('text=Изменения сохранены.');
  assert.match(await school.textContent('#aid'), /Спонсор/);

  // The public page is rendered at most every 15 s; a fresh visitor after that sees the help.
  await new Promise((r) => setTimeout(r, 16_000));
  await visitor.goto(`${server.url}/public`);
  const afterText = await visitor.textContent('#public-summary');
  assert.doesNotMatch(afterText, /Спонсор\s*0 ₸/);
  assert.match(afterText, /Получили помощь\s*1/);
});
