// Journeys of issue 3: a school coordinator adds a child with a wrong IIN, sees the message in
// Kazakh with the form still filled, corrects it and saves; imports a file with three bad rows,
// sees all three listed, fixes them and imports the file.
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

/** A valid IIN of a girl born 03.03.2016 with registration number around `reg`. */
function iin(reg) {
  for (let k = 0; k < 20; k++) {
    const head = `160303${6}${String(reg * 20 + k).padStart(4, '0')}`;
    const d = [...head].map(Number);
    let c = d.reduce((s, x, i) => s + x * (i + 1), 0) % 11;
    if (c === 10) {
      const w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
      c = d.reduce((s, x, i) => s + x * w[i], 0) % 11;
      if (c === 10) continue;
    }
    return head + c;
  }
  throw new Error('no IIN');
}

test('a wrong IIN gets a message in Kazakh, the form keeps what was typed, the fix saves', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ' });
  const page = await context.newPage();
  await signIn(page, server.url, 'school1', PASSWORD);
  await page.waitForSelector('h1');
  assert.equal(await page.getAttribute('html', 'lang'), 'kk', 'the browser asks for Kazakh');
  await page.goto(`${server.url}/children/new`);
  const good = iin(1);
  const wrong = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
  await page.fill('#iin', wrong);
  await page.fill('#surname', 'Құрманғазы');
  await page.fill('#first_name', 'Әлия');
  await page.fill('#grade', '4');
  await page.selectOption('#study_language', 'kk');
  await page.check('input[name=categories][value=large_family]');
  await page.fill('#guardian_name', 'Құрманғазы Гүлнар');
  await page.selectOption('#consent_by', 'parent');
  await page.selectOption('#consent_method', 'written');
  await page.selectOption('#source', 'school_list');
  await page.selectOption('select[name=need_item] >> nth=0', 'backpack');
  await page.fill('input[name=need_cost] >> nth=0', '45 000');
  await page.click('#child-form button[type=submit]');
  await page.waitForSelector('#form-errors');
  assert.match(await page.textContent('#form-errors'), /ЖСН қате: бақылау цифры сәйкес келмейді\./);
  assert.equal(await page.inputValue('#surname'), 'Құрманғазы');
  assert.equal(await page.inputValue('#iin'), wrong);
  assert.equal(await page.isChecked('input[name=categories][value=large_family]'), true);
  assert.equal(await page.inputValue('input[name=need_cost] >> nth=0'), '45 000');
  assert.deepEqual(await seriousViolations(page), []);
  await page.fill('#iin', good);
  await page.click('#child-form button[type=submit]');
  await page.waitForSelector('#child-status');
  assert.match(await page.textContent('main'), /Құрманғазы Әлия/);
  assert.match(await page.textContent('main'), /45 000 ₸/);
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});

const HEADER = 'ИИН;Фамилия;Имя;Класс;Язык обучения;Категории;ФИО родителя или законного представителя;Кто дал согласие;Как;Дата согласия;Рюкзак с принадлежностями, ₸';
const line = (i, s, grade, cat) => `${i};${s};Айгерим;${grade};Казахский;${cat};${s} Сауле;Родитель;Письменно;01.08.2026;45 000`;

test('a file with three bad rows lists all three, and the fixed file imports', async () => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await signIn(page, server.url, 'school1', PASSWORD);
  await page.waitForSelector('h1');
  const rows = [2, 3, 4, 5, 6].map((n) => line(iin(n), 'Жаңаимпорт', '3', 'АСП'));
  const bad = [...rows];
  bad[0] = line('123456789012', 'Жаңаимпорт', '3', 'АСП');
  bad[2] = line(iin(4), 'Жаңаимпорт', '14', 'АСП');
  bad[4] = line(iin(6), 'Жаңаимпорт', '3', 'единорог');
  const upload = async (lines) => {
    await page.goto(`${server.url}/children/import`);
    await page.setInputFiles('#file', { name: 'children.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...lines].join('\n')) });
    await page.click('main form button[type=submit]');
    await page.waitForSelector('#import-errors, #import-result', { timeout: 20_000 });
  };
  await upload(bad);
  const errors = await page.textContent('#import-errors');
  assert.match(errors, /найдены 3 ошибки/);
  assert.match(errors, /Строка 2: ИИН/);
  assert.match(errors, /Строка 4: Класс — число от 0 до 11\./);
  assert.match(errors, /Строка 6: Поле «Категории»: выберите значение из списка\./);
  assert.deepEqual(await seriousViolations(page), []);
  await upload(rows);
  assert.match(await page.textContent('#import-result'), /Добавлено детей: 5\./);
  await page.goto(`${server.url}/children?q=жаңаимпорт`);
  assert.match(await page.textContent('caption'), /^5 детей$/);
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});
