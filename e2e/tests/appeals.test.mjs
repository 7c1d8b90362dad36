// Issue 17: the public front door on a phone. A visitor files an appeal through the form without
// a script (place, text, the check step) and follows it by its code; the district registers a
// call from the hotline and forwards it to the region, which extends and answers it; the visitor
// reads the answer and says it was solved. A family answers the survey asking for help, and the
// school turns the lead into a registry record. The e-mails arrive at a real SMTP server
// (aiosmtpd on 127.0.0.1) that the server's outbox worker sends to. Every page at 360 px without
// sideways scroll and without serious axe findings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startBrowser, signIn, seriousViolations, PASSWORD, PHONE } from '../server.mjs';
import { demoDatabase, serve, freePort } from '../procs.mjs';

let data;
let server;
let base;
let browser;
let smtp;
let maildir;

async function listening(port) {
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise((ok) => {
      const c = connect(port, '127.0.0.1', () => { c.end(); ok(true); });
      c.on('error', () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aiosmtpd does not listen on ${port} (pip install aiosmtpd)`);
}

/** What arrived at the SMTP server: [to, subject, text], decoded by Python's email package. */
function mail() {
  const script = [
    'import mailbox, json, sys',
    'from email.header import decode_header, make_header',
    'out = []',
    'for m in mailbox.Maildir(sys.argv[1], create=False):',
    '    body = m.get_payload(decode=True).decode(m.get_content_charset() or "utf-8")',
    '    out.append([m["To"], str(make_header(decode_header(m["Subject"]))), body])',
    'print(json.dumps(out))',
  ].join('\n');
  try {
    return JSON.parse(execFileSync('python3', ['-c', script, maildir]).toString());
  } catch {
    return [];
  }
}

async function arrived(to, subject) {
  for (let i = 0; i < 100; i += 1) {
    const m = mail().find(([t, s]) => t.includes(to) && s.includes(subject));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} «${subject}»: ${JSON.stringify(mail())}`);
}

before(async () => {
  data = demoDatabase('appeals', 'sqlite');
  maildir = join(data.dir, 'mail');
  const port = await freePort();
  smtp = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
  await listening(port);
  server = await serve(data.env, ['--smtp-url', `smtp://127.0.0.1:${port}`, '--mail-every', '1']);
  base = server.url;
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  smtp?.kill();
  data?.drop();
});

async function fits(page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `${page.url()} is ${wide} px wide`);
  assert.deepEqual(await seriousViolations(page), [], page.url());
}

/** Chooses the region, district and school of the demo's school № 1 on a public form. */
async function choosePlace(page) {
  await page.selectOption('#region', { label: 'Карагандинская область' });
  await page.click('#place-choose');
  await page.selectOption('#district-choice', { label: 'г. Балхаш' });
  await page.click('#place-choose');
  await page.selectOption('#school-choice', { label: 'КГУ «Общеобразовательная школа № 1»' });
  await page.click('#place-choose');
}

function addDays(ddmmyyyy, n) {
  const [d, m, y] = ddmmyyyy.trim().split('.').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${String(t.getUTCDate()).padStart(2, '0')}.${String(t.getUTCMonth() + 1).padStart(2, '0')}.${t.getUTCFullYear()}`;
}

test('a visitor files an appeal on a phone and follows it; the district and the region work it', async () => {
  const visitor = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
  const v = await visitor.newPage();
  await v.goto(`${base}/appeal`);
  await choosePlace(v);
  await fits(v);
  await v.selectOption('#topic', 'help_not_received');
  await v.fill('#text', 'Дочери (2 класс) не выдали рюкзак.\nОбещали в августе.');
  await v.fill('#applicant_name', 'Динара');
  await v.fill('#email', 'dinara@example.kz');
  await v.click('#appeal-check-button');
  await v.waitForSelector('#appeal-check');
  assert.match(await v.textContent('#appeal-check'), /не выдали рюкзак/);
  await fits(v);
  await v.click('#appeal-send');
  await v.waitForSelector('#appeal-code');
  const code = (await v.textContent('#appeal-code')).trim();
  assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await fits(v);
  await v.click('#appeal-follow');
  await v.waitForSelector('#track-result');
  assert.equal(await v.getAttribute('#track-status', 'data-status'), 'registered');
  await fits(v);
  const [, , text] = await arrived('dinara@example.kz', code);
  assert.match(text, /КГУ «Общеобразовательная школа № 1»/);

  // The district registers a hotline call and forwards it to the region.
  const district = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
  const d = await district.newPage();
  await signIn(d, base, 'balkhash', PASSWORD);
  await d.goto(`${base}/appeals/new`);
  await fits(d);
  await d.selectOption('#channel', 'hotline');
  await d.selectOption('#topic', 'sponsor_complaint');
  await d.selectOption('#school', { label: 'КГУ «Общеобразовательная школа № 1»' });
  await d.fill('#text', 'Спонсор обещал обувь и не привёз.');
  await d.fill('#applicant_name', 'Болат');
  await d.fill('#phone', '+7 705 000 11 22');
  await d.click('#appeal-register');
  await d.waitForSelector('#appeal-receipt');
  const hotline = (await d.textContent('#appeal-code')).trim();
  await fits(d);
  // A complaint about a sponsor is the region's: the district gets the receipt, not the card.
  assert.match(await d.textContent('#receipt-unit'), /Карагандинская область/);
  await d.goto(`${base}/appeals?view=all`);
  await fits(d);
  const mine = await d.locator('#appeals a', { hasText: code }).getAttribute('href');
  await d.goto(`${base}${mine}`);
  await d.selectOption('#unit_id', { label: 'Карагандинская область' });
  await d.fill('#note', 'Жалоба на спонсора: компетенция области.');
  await d.click('#forward-form button[type=submit]');
  await d.waitForURL(`${base}/appeals`);

  // The region extends the term with a reason and answers.
  const region = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
  const r = await region.newPage();
  await signIn(r, base, 'karaganda', PASSWORD);
  await r.goto(`${base}/appeals`);
  await fits(r);
  for (const c of [code, hotline]) {
    assert.ok(await r.locator('#appeals a', { hasText: c }).count(), `${c} at the region`);
  }
  await r.click(`#appeals a:has-text("${code}")`);
  await r.waitForSelector('#appeal-status');
  assert.equal(await r.getAttribute('#appeal-status', 'data-status'), 'forwarded');
  await fits(r);
  const due = await r.textContent('#appeal-due');
  await r.fill('#until', addDays(due, 7));
  await r.fill('#reason', 'Запрошены документы у спонсора.');
  await r.click('#extend-form button[type=submit]');
  await r.waitForSelector('#appeal-events');
  assert.equal((await r.textContent('#appeal-due')).trim(), addDays(due, 7));
  await r.fill('#answer', 'Рюкзак передан школе 3 декабря, его выдали дочери.');
  await r.click('#answer-form button[type=submit]');
  await r.waitForSelector('#appeal-answer');
  assert.equal(await r.getAttribute('#appeal-status', 'data-status'), 'answered');
  assert.match(await r.textContent('#appeal-events'), /Передано по компетенции[\s\S]*Срок продлён[\s\S]*Дан ответ/);
  await fits(r);

  // The visitor reads the answer and says it is solved; the extension and the answer were mailed.
  await v.goto(`${base}/track?code=${code.toLowerCase()}`);
  assert.match(await v.textContent('#track-answer'), /Рюкзак передан школе/);
  await v.click('#track-feedback button[value=yes]');
  await v.waitForSelector('#track-thanks');
  await fits(v);
  await arrived('dinara@example.kz', 'продлён');
  const [, , answer] = await arrived('dinara@example.kz', 'Ответ на обращение');
  assert.match(answer, /Рюкзак передан школе/);
  await Promise.all([visitor.close(), district.close(), region.close()]);
});

test('a family asks for help through the survey and the school turns the lead into a record', async () => {
  const family = await browser.newContext({ ...PHONE, locale: 'kk-KZ' });
  const f = await family.newPage();
  await f.goto(`${base}/survey`);
  await f.selectOption('#region', { label: 'Қарағанды облысы' });
  await f.click('#place-choose');
  await f.selectOption('#district-choice', { label: 'Балқаш қаласы' });
  await f.click('#place-choose');
  await f.selectOption('#school-choice', { label: '«№ 1 жалпы білім беретін мектеп» КММ' });
  await f.click('#place-choose');
  await fits(f);
  await f.check('input[name=ready][value=no]');
  await f.selectOption('#grade-0', '3');
  await f.check('#missing-uniform');
  await f.check('#situation-large_family');
  await f.check('#help');
  await f.fill('#contact_name', 'Айнұр');
  await f.fill('#phone', '+7 707 333 44 55');
  await f.click('#survey-check-button');
  await f.waitForSelector('#form-errors');
  assert.match(await f.textContent('#form-errors'), /келісімді/);
  assert.equal(await f.inputValue('#contact_name'), 'Айнұр');
  await f.check('#consent');
  await f.click('#survey-check-button');
  await f.waitForSelector('#survey-check');
  await fits(f);
  await f.click('#survey-send');
  await f.waitForSelector('#survey-lead');
  await fits(f);

  const school = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
  const s = await school.newPage();
  await signIn(s, base, 'school1', PASSWORD);
  await s.goto(`${base}/survey-leads`);
  await fits(s);
  const leads = s.locator('#leads a');
  const open = await leads.count();
  assert.equal(open, 2, 'the demo lead and this one');
  await leads.nth(open - 1).click();
  await s.waitForSelector('#lead-phone');
  assert.equal((await s.textContent('#lead-phone')).trim(), '+77073334455');
  await fits(s);
  await s.click('#lead-register');
  await s.waitForSelector('#from-lead');
  assert.equal(await s.inputValue('#guardian_phone'), '+77073334455');
  assert.equal(await s.inputValue('#source'), 'survey');
  await fits(s);
  await s.fill('#iin', await s.evaluate(() => {
    for (let k = 0; k < 50; k++) {
      const head = `1603036${String(900 + k).padStart(4, '0')}`;
      const d = [...head].map(Number);
      let c = d.reduce((a, x, i) => a + x * (i + 1), 0) % 11;
      if (c === 10) { c = d.reduce((a, x, i) => a + x * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i], 0) % 11; if (c === 10) continue; }
      return head + c;
    }
    return '';
  }));
  await s.fill('#surname', 'Айнұрова');
  await s.fill('#first_name', 'Мадина');
  await s.selectOption('#study_language', 'kk');
  await s.click('#child-form button[type=submit]');
  await s.waitForSelector('#child-status');
  await s.goto(`${base}/survey-leads`);
  assert.equal(await s.locator('#leads a').count(), open - 1, 'the lead is registered');
  // The school's QR poster, from its page, in Kazakh: one page of PDF.
  await s.goto(server.url + await s.getAttribute('nav a[href^="/orgs/"]', 'href'));
  const href = await s.getAttribute('a[href$="/poster?lang=kk"]', 'href');
  const poster = await s.request.get(base + href);
  assert.equal(poster.status(), 200);
  assert.equal(poster.headers()['content-type'], 'application/pdf');
  assert.match((await poster.body()).toString('latin1'), /\/Count 1/);
  await Promise.all([family.close(), school.close()]);
});
