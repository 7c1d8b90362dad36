// Journey of issue 5: the school writes its measures and raids and downloads its report in Word;
// the district sees a row per school, drills down to the school, and opens the dashboard.
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

test('the school fills in its report and downloads it; the district drills down and sees the charts', async () => {
  const school = await (await browser.newContext({ locale: 'ru-RU', acceptDownloads: true })).newPage();
  await signIn(school, server.url, 'school1', PASSWORD);
  await school.waitForSelector('h1');
  await school.click('nav >> text=Отчёты');
  await school.waitForSelector('h1:has-text("Справка о проведении республиканской акции")');
  // The demo school filled in its details: the справка's head names its addressee.
  assert.match(await school.textContent('#letterhead'), /Руководителю отдела образования/);
  await school.fill('#measures', 'Разработан и утверждён план проведения акции\nОформлен информационный стенд');
  await school.click('#notes button[type=submit]');
  await school.waitForSelector('#report >> text=Оформлен информационный стенд');
  // The raids come from the raids' records (the demo school held one), never typed.
  assert.match(await school.textContent('#report'), /Проведено 1 рейдовое мероприятие\./);
  assert.deepEqual(await seriousViolations(school), []);
  // Printed, the page is the справка alone: no menu, filters, buttons or the notes' form.
  await school.emulateMedia({ media: 'print' });
  for (const hidden of ['#notes', '#report-filter', '#report-files', 'header']) {
    assert.equal(await school.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  assert.ok(await school.locator('#report').isVisible());
  await school.emulateMedia({ media: 'screen' });

  // Too long a text (past the field's own limit, as an old browser would send it) comes back
  // with the form as typed.
  const long = 'Проведена беседа с родителями. '.repeat(140);
  await school.evaluate(() => document.querySelector('#measures').removeAttribute('maxlength'));
  await school.fill('#measures', long);
  await school.click('#notes button[type=submit]');
  await school.waitForSelector('#form-errors');
  assert.equal(await school.inputValue('#measures'), long);

  const [download] = await Promise.all([
    school.waitForEvent('download'),
    school.click('#report-files >> text=Скачать Word'),
  ]);
  assert.match(download.suggestedFilename(), /^report-\d+-ru\.docx$/);
  const path = await download.path();
  const { statSync } = await import('node:fs');
  assert.ok(statSync(path).size > 2000, 'a real Word file');

  const district = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  await signIn(district, server.url, 'balkhash', PASSWORD);
  await district.waitForSelector('h1');
  await district.goto(`${server.url}/reports`);
  await district.waitForSelector('h1:has-text("Сводный отчёт")');
  assert.deepEqual(await seriousViolations(district), []);
  // A period that ends before it starts: a clear message, the dates kept.
  await district.fill('#from', '30.09.2026');
  await district.fill('#to', '01.08.2026');
  await district.click('#report-filter button');
  await district.waitForSelector('#form-errors >> text=Конец периода раньше его начала.');
  assert.equal(await district.inputValue('#from'), '30.09.2026');
  await district.goto(`${server.url}/reports`);
  await district.click('#report table a >> nth=0');
  await district.waitForSelector('#trail');
  assert.match(await district.textContent('#report'), /Помощь из фонда всеобуча/);
  await district.goto(`${server.url}/dashboard`);
  await district.waitForSelector('svg#chart-progress');
  // Progress, help by day, the fund, the needs, and the pupils out of school by day.
  assert.equal(await district.locator('svg.chart').count(), 5);
  assert.deepEqual(await seriousViolations(district), []);
});
