// Journeys of issue 2: a school coordinator signs in (in Kazakh, then in Russian) and sees the
// school; a wrong password gets a clear message; axe finds nothing serious on these pages.
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

test('a school coordinator signs in in Kazakh and sees the school', async () => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.click('form.lang button');
  await assert.doesNotReject(page.waitForSelector('h1:has-text("Жүйеге кіру")'));
  assert.equal(await page.getAttribute('html', 'lang'), 'kk');
  assert.deepEqual(await seriousViolations(page), []);
  await page.fill('#login', 'school1');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]:not(.link)');
  await page.waitForSelector('h1');
  // She lands on today's work, in Kazakh; her school is one tap away in the menu.
  assert.equal(await page.textContent('h1'), 'Бүгінгі жұмыс');
  assert.match(await page.textContent('#unhelped'), /бала анықталған, тексерілмеген/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.goto(server.url + await page.getAttribute('nav a[href^="/orgs/"]', 'href'));
  assert.equal(await page.textContent('h1'), '«№ 1 жалпы білім беретін мектеп» КММ');
  const props = await page.textContent('dl.props');
  assert.match(props, /Балхаш/);
  assert.match(props, /Аралас \(қазақ және орыс\)/);
  assert.match(await page.textContent('header'), /Мектеп үйлестірушісі/);
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});

test('a school coordinator switches to Russian and sees the school', async () => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await signIn(page, server.url, 'school1', PASSWORD);
  await page.waitForSelector('h1');
  // The account remembers Kazakh from the first journey; the switch brings Russian back.
  assert.equal(await page.getAttribute('html', 'lang'), 'kk');
  await page.click('form.lang button:has-text("Русский")');
  await page.waitForSelector('html[lang=ru]');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  assert.equal(await page.textContent('h1'), 'Работа на сегодня');
  await page.goto(server.url + await page.getAttribute('nav a[href^="/orgs/"]', 'href'));
  assert.equal(await page.textContent('h1'), 'КГУ «Общеобразовательная школа № 1»');
  assert.match(await page.textContent('dl.props'), /Смешанный \(казахский и русский\)/);
  await page.click('header form button:has-text("Выйти")');
  await page.waitForSelector('h1:has-text("Вход в систему")');
  await context.close();
});

test('a wrong password gets a clear message and keeps the login', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ' });
  const page = await context.newPage();
  await signIn(page, server.url, 'school1', 'not-the-password');
  const alert = await page.waitForSelector('#login-error');
  assert.equal((await alert.textContent()).trim(), 'Логин немесе құпиясөз қате.');
  assert.equal(await page.inputValue('#login'), 'school1');
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});

test('a district coordinator works through its pages without serious accessibility problems', async () => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await signIn(page, server.url, 'balkhash', PASSWORD);
  await page.waitForSelector('h1:has-text("Работа на сегодня")');
  assert.match(await page.textContent('.note'), /по всем школам/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.goto(server.url + await page.getAttribute('nav a[href^="/orgs/"]', 'href'));
  await page.waitForSelector('h1:has-text("г. Балхаш")');
  assert.match(await page.textContent('#children'), /Общеобразовательная школа № 2/);
  assert.deepEqual(await seriousViolations(page), []);
  // htmx filters the list as one types.
  await page.fill('#q', 'лицей');
  await page.waitForFunction(() => !document.querySelector('#children').textContent.includes('школа № 2'));
  assert.match(await page.textContent('#children'), /Школа-лицей № 16/);
  // A form with errors keeps what was typed and names the fields.
  const district = page.url().match(/\/orgs\/(\d+)/)[1];
  await page.goto(`${server.url}/orgs/${district}/new`);
  await page.fill('#code', '1');
  await page.fill('#name_ru', 'Дубль школы <b>1</b>');
  await page.fill('#name_kk', 'Қосарланған');
  await page.fill('#settlement', 'Балқаш');
  await page.selectOption('#locality', 'urban');
  await page.selectOption('#language', 'kk');
  await page.click('main button[type=submit]');
  await page.waitForSelector('#form-errors');
  assert.match(await page.textContent('#form-errors'), /Поле «Номер»: такое значение уже есть\./);
  assert.equal(await page.inputValue('#name_ru'), 'Дубль школы <b>1</b>');
  assert.deepEqual(await seriousViolations(page), []);
  for (const path of ['/users', '/audit', '/tokens', '/password', '/children', '/children/1', '/children/new',
    '/children/import', '/children/transfers', '/campaigns', `/passport/${district}`, '/public', '/children/1#aid']) {
    await page.goto(`${server.url}${path}`);
    assert.deepEqual(await seriousViolations(page), [], path);
  }
  await context.close();
});

test('another school is refused', async () => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await signIn(page, server.url, 'school1', PASSWORD);
  await page.waitForSelector('h1');
  const own = Number((await page.getAttribute('nav a[href^="/orgs/"]', 'href')).match(/\/orgs\/(\d+)/)[1]);
  const response = await page.goto(`${server.url}/orgs/${own + 1}`);
  assert.equal(response.status(), 403);
  assert.match(await page.textContent('main'), /вне вашей зоны доступа|қол жеткізу аймағыңыздан тыс/);
  await context.close();
});
