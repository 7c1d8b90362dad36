// Issue 15: every page of every role, in both languages, on a phone (360×740, touch, mobile
// emulation). The test walks each role's pages from its landing page, following every link to a
// page (one page per route: /children/5 and /children/9 are one), and fails when a page is wider
// than the screen, when a table cell is squeezed to a few letters, or when a form's submit button
// is off-screen or covered. A full-page screenshot of each page is saved in e2e/artifacts/phone/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startBrowser, signIn, PASSWORD } from '../server.mjs';

const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'phone');
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
// Signed-in roles (the demo's accounts) and the visitor (null).
const ROLES = ['school1', 'balkhash', 'karaganda', 'republic', 'auditor', 'raid', 'sponsor', null];
const LANGS = ['ru', 'kk'];
// Downloads, files and the API are not pages.
const NOT_PAGES = /\.(xlsx|pdf|docx|csv|json|png|jpg)$|\/file(\/|$)|\/poster$|^\/(api|static|proofs|metrics|healthz)(\/|$)/;
const MAX_PAGES = 80;
// The most a first visit may transfer (the page, the stylesheet and htmx, compressed).
const FIRST_VISIT_BYTES = 40 * 1024;

let server;
let browser;
const weights = [];

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (weights.length) console.log(`first visits: ${weights.length} pages, the heaviest ${Math.max(...weights)} bytes`);
  await browser?.close();
  await server?.stop();
});

/** One page per route: ids become `:id`, the query is dropped. */
function routeOf(path) {
  return path.replace(/\/\d+(?=\/|$)/g, '/:id');
}

/** What is wrong with the page at 360 px, as sentences (empty when nothing is). */
async function phoneProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const width = window.innerWidth;
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
      const text = (el.textContent || '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${id}${cls} «${text}»`;
    };
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      // Out of sight on purpose: the honeypot, and a stacked table's header row (for screen readers).
      const hiddenHead = el.closest('thead') && el.closest('thead').getBoundingClientRect().width <= 1;
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.trap') && !hiddenHead;
    };
    if (document.documentElement.scrollWidth > width) {
      const wide = [...document.body.querySelectorAll('*')]
        .filter((el) => visible(el) && el.getBoundingClientRect().right > width + 1)
        .filter((el) => !el.closest('.skip'))
        .slice(-3)
        .map(describe);
      problems.push(`the page is ${document.documentElement.scrollWidth} px wide: ${wide.join('; ')}`);
    }
    // Any box that scrolls sideways inside the page hides part of a table or a form.
    for (const el of document.body.querySelectorAll('*')) {
      if (visible(el) && el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) {
        problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
      }
    }
    for (const cell of document.querySelectorAll('td, th')) {
      const text = (cell.textContent || '').trim();
      if (visible(cell) && text.length > 3 && cell.getBoundingClientRect().width < 56) {
        problems.push(`${describe(cell)} is squeezed to ${Math.round(cell.getBoundingClientRect().width)} px`);
        break;
      }
    }
    for (const form of document.querySelectorAll('main form')) {
      if (!visible(form)) continue;
      const submit = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
      if (!submit) continue;
      if (!visible(submit)) {
        problems.push(`the submit button of ${describe(form)} is hidden`);
        continue;
      }
      submit.scrollIntoView({ block: 'center', inline: 'nearest' });
      const r = submit.getBoundingClientRect();
      if (r.left < 0 || r.right > width + 1) {
        problems.push(`${describe(submit)} is off-screen (${Math.round(r.left)}–${Math.round(r.right)} px)`);
        continue;
      }
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(hit === submit || submit.contains(hit))) {
        problems.push(`${describe(submit)} cannot be tapped: ${hit ? describe(hit) : 'nothing'} is on top`);
      }
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

async function useLanguage(page, lang) {
  if ((await page.getAttribute('html', 'lang')) !== lang) {
    await Promise.all([page.waitForLoadState('load'), page.click('form.lang button')]);
    await page.waitForSelector(`html[lang=${lang}]`);
  }
}

/** Notes the static files among finished requests, with what each transferred. */
async function countStatics(statics, finished) {
  for (const r of finished) {
    const sizes = await r.sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    if (new URL(r.url()).pathname.startsWith('/static/') && bytes > 0 && !statics.has(r.url())) statics.set(r.url(), bytes);
  }
}

/** Walks the role's pages from where it lands; returns the problems found, page by page. */
async function walk(role, lang) {
  const context = await browser.newContext({ ...PHONE, locale: lang === 'kk' ? 'kk-KZ' : 'ru-RU' });
  const page = await context.newPage();
  const who = role ?? 'visitor';
  // What each load transferred: the static files once (a browser keeps them), each page's own.
  // Counted from the first load (the sign-in page), before the browser keeps anything.
  const statics = new Map();
  let finished = [];
  page.on('requestfinished', (r) => finished.push(r));
  const queue = [];
  if (role) {
    await signIn(page, server.url, role, PASSWORD);
    await page.waitForSelector('h1');
    await useLanguage(page, lang);
    queue.push(new URL(page.url()).pathname);
  } else {
    await page.goto(`${server.url}/login`);
    await useLanguage(page, lang);
    queue.push('/', '/login', '/sponsors/apply', '/public');
  }
  const seen = new Set();
  const problems = [];
  let visited = 0;
  while (queue.length && visited < MAX_PAGES) {
    const path = queue.shift();
    const route = routeOf(new URL(path, server.url).pathname);
    if (seen.has(route)) continue;
    seen.add(route);
    if (visited === 0) await countStatics(statics, finished);
    finished = [];
    const response = await page.goto(`${server.url}${path}`);
    await page.waitForLoadState('load');
    visited += 1;
    let own = 0;
    for (const r of finished) {
      const sizes = await r.sizes();
      const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
      if (new URL(r.url()).pathname.startsWith('/static/')) {
        if (bytes > 0 && !statics.has(r.url())) statics.set(r.url(), bytes);
      } else {
        own += bytes;
      }
    }
    const firstVisit = own + [...statics.values()].reduce((a, b) => a + b, 0);
    if (firstVisit > FIRST_VISIT_BYTES) problems.push(`${who} ${lang} ${path}: a first visit transfers ${firstVisit} bytes`);
    weights.push(firstVisit);
    assert.ok(response.status() < 400, `${who} ${lang} ${path}: status ${response.status()}`);
    assert.equal(await page.getAttribute('html', 'lang'), lang, `${who} ${path} is not in ${lang}`);
    const name = `${who}-${lang}${route.replace(/[/:]+/g, '_')}`.replace(/_$/, '') || who;
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    for (const p of await phoneProblems(page)) problems.push(`${who} ${lang} ${path}: ${p}`);
    const links = await page.$$eval('a[href]', (as) => as.filter((a) => !a.hasAttribute('download') && a.target !== '_blank').map((a) => a.href));
    for (const href of links) {
      const url = new URL(href);
      if (url.origin !== server.url || NOT_PAGES.test(url.pathname)) continue;
      if (!seen.has(routeOf(url.pathname))) queue.push(url.pathname + url.search);
    }
  }
  await context.close();
  assert.ok(statics.size >= 2, `the stylesheet and htmx were loaded: ${[...statics.keys()]}`);
  return { problems, visited };
}

for (const role of ROLES) {
  for (const lang of LANGS) {
    test(`every page of ${role ?? 'a visitor'} fits a phone in ${lang}`, async () => {
      const { problems, visited } = await walk(role, lang);
      assert.ok(visited >= 3, `only ${visited} pages reached`);
      assert.deepEqual(problems, []);
    });
  }
}
