// Two `doroga serve` processes on one PostgreSQL database behind a real HAProxy: a sign-in on
// one server holds on the other, and 1,000 fund payments and sponsor holds sent at once through
// the balancer keep every invariant: the fund never below zero, one fund payment per child, one
// hold per need, and no 5xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoDatabase, serve, balancer, Http } from '../procs.mjs';

let db;
let a;
let b;
let lb;

before(async () => {
  db = demoDatabase('doroga_cluster');
  a = await serve(db.env, ['--trusted-proxies', '127.0.0.1']);
  b = await serve(db.env, ['--trusted-proxies', '127.0.0.1']);
  lb = await balancer([a.url, b.url]);
});

after(async () => {
  await lb?.stop();
  await a?.stop();
  await b?.stop();
  db?.drop();
});

/** Requests the server counted for `route` (its Prometheus text). */
async function served(server, route) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_total{') && l.includes(`route="${route}"`))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

test('a sign-in on one server holds on the other, and through the balancer on both', async () => {
  const h = new Http(a.url);
  await h.signIn('school1');
  h.base = b.url;
  const me = await h.send('GET', '/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.login, 'school1');

  const through = new Http(lb.url);
  await through.signIn('school1');
  const [onA, onB] = [await served(a, '/api/v1/me'), await served(b, '/api/v1/me')];
  for (let i = 0; i < 10; i += 1) {
    const r = await through.send('GET', '/api/v1/me');
    assert.equal(r.status, 200, r.text);
  }
  assert.ok((await served(a, '/api/v1/me')) - onA >= 4, 'server A answered some');
  assert.ok((await served(b, '/api/v1/me')) - onB >= 4, 'server B answered some');
  // Signing out through the balancer ends the session on both servers.
  await through.send('POST', '/logout');
  assert.equal((await through.send('GET', '/api/v1/me')).status, 401);
});

test('1,000 fund payments and holds at once over two servers keep every invariant', async () => {
  const school = await new Http(lb.url).withToken('school1');
  const district = await new Http(lb.url).withToken('balkhash');
  const sponsors = [await new Http(lb.url).withToken('sponsor'), await new Http(lb.url).withToken('sponsor2')];
  const schoolId = (await school.send('GET', '/api/v1/me')).json.scope.id;
  assert.ok(schoolId, 'the school of school1');
  // A fund for ten payments of the region's norm, for 24 children: most payments must be refused.
  const norm = 47_300;
  const set = await district.send('PUT', `/api/v1/funds/${schoolId}`, { json: { allocation: String(10 * norm) } });
  assert.equal(set.status, 200, set.text);
  const list = await school.send('GET', '/api/v1/children?per_page=100');
  assert.equal(list.status, 200, list.text);
  const children = list.json.rows.map((c) => c.id);
  assert.equal(children.length, 24);
  const needs = (await sponsors[0].send('GET', '/api/v1/sponsor/needs')).json.rows.map((n) => n.need_id);
  assert.ok(needs.length >= 40, `${needs.length} open needs`);

  const payment = { source: 'fund', form: 'cash', amount: '47 300', date: '15.08.2026', delivered: true };
  const sent = [];
  for (let i = 0; i < 500; i += 1) {
    sent.push(school.send('POST', `/api/v1/children/${children[i % children.length]}/aid`, { json: payment })
      .then((r) => ({ kind: 'payment', ...r })));
    sent.push(sponsors[i % 2].send('POST', '/api/v1/sponsor/holds', { json: { need_id: needs[i % needs.length] } })
      .then((r) => ({ kind: 'hold', ...r })));
  }
  const answers = await Promise.all(sent);
  const failures = answers.filter((r) => r.status >= 500);
  assert.deepEqual(failures.map((r) => `${r.kind} ${r.status} ${r.text}`), [], 'no 5xx');

  const payments = answers.filter((r) => r.kind === 'payment');
  const paid = payments.filter((r) => r.status === 201);
  assert.equal(paid.length, 10, 'the fund pays exactly what it holds');
  for (const r of payments.filter((p) => p.status !== 201)) {
    assert.equal(r.status, 422, r.text);
    assert.ok(['fund_overspent', 'fund_paid_twice'].includes(r.json.error.fields[0].code), r.text);
  }
  const fund = (await school.send('GET', `/api/v1/funds/${schoolId}`)).json;
  assert.equal(fund.spent, 10 * norm * 100);
  assert.equal(fund.balance, 0);
  let fundPayments = 0;
  for (const id of children) {
    const entries = (await school.send('GET', `/api/v1/children/${id}/aid`)).json;
    const fromFund = entries.filter((e) => e.source === 'fund' && e.form === 'cash');
    assert.ok(fromFund.length <= 1, `child ${id}: one fund payment at most`);
    fundPayments += fromFund.length;
  }
  assert.equal(fundPayments, 10);

  const holds = answers.filter((r) => r.kind === 'hold');
  const held = holds.filter((r) => r.status === 201);
  assert.equal(held.length, needs.length, 'every need held once');
  for (const r of holds.filter((h) => h.status !== 201)) {
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.fields[0].code, 'need_taken', r.text);
  }
  const kept = [];
  // The demo's own holds (on needs not open at the start) are left out.
  for (const s of sponsors) {
    const mine = (await s.send('GET', '/api/v1/sponsor/holds')).json.map((h) => h.hold.need_id);
    kept.push(...mine.filter((id) => needs.includes(id)));
  }
  assert.equal(kept.length, needs.length);
  assert.equal(new Set(kept).size, kept.length, 'one hold per need');
});
