// The server killed (SIGKILL) during an import and during a burst of ledger writes, then started
// again, on SQLite and on PostgreSQL: nothing acknowledged is lost, nothing half-written is kept
// (no row of an interrupted import; the reports' totals equal the entries), every job says what
// happened, and the upload with children's IINs is gone from the disk. One kill of each here (in
// CI); `npm run faults` repeats them at more moments (DOROGA_FAULT_ROUNDS, default 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoDatabase, serve, Http } from '../procs.mjs';

const ROUNDS = Number(process.env.DOROGA_FAULT_ROUNDS ?? 1);

/** A valid IIN of a child born 01.03.2015 with registration number `reg`, or null. */
function iin(reg) {
  const head = `1503015${String(reg).padStart(4, '0')}`;
  const d = [...head].map(Number);
  const sum = (w) => d.reduce((s, x, i) => s + x * w[i], 0) % 11;
  let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return c === 10 ? null : `${head}${c}`;
}

const HEADER = 'ИИН;Фамилия;Имя;Класс;Язык обучения;Категории;ФИО родителя или законного представителя;Кто дал согласие;Как;Дата согласия;Рюкзак с принадлежностями, ₸';

function csv(rows, offset) {
  const lines = [HEADER];
  for (let reg = offset; lines.length <= rows; reg += 1) {
    const id = iin(reg);
    if (id) lines.push(`${id};Иманова;Дана;2;Казахский;Многодетная семья;Иманова Гүлнар;Родитель;Письменно;01.08.2026;20 000`);
  }
  return lines.join('\n');
}

function multipart(school, name, text) {
  const form = new FormData();
  form.append('school_id', String(school));
  form.append('file', new Blob([text], { type: 'text/csv' }), name);
  return form;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function childrenCount(h) {
  return (await h.send('GET', '/api/v1/children?per_page=1')).json.total;
}

for (const backend of ['sqlite', 'postgres']) {
  test(`${backend}: an import killed half-way is failed at the next start, leaves no row and no file`, async () => {
    const db = demoDatabase(`doroga_fault_${backend}`, backend);
    const env = { ...db.env, DOROGA_SERVER_ID: `fault-${backend}` };
    let server = await serve(env);
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const h = await new Http(server.url).withToken('school1');
        const school = (await h.send('GET', '/api/v1/me')).json.scope.id;
        const before = await childrenCount(h);
        const started = await h.send('POST', '/api/v1/children/import', {
          multipart: multipart(school, 'список.csv', csv(20_000, 1000 + round * 30_000)),
        });
        assert.equal(started.status, 202, started.text);
        const id = started.json.id;
        // Kill it while it runs, at a later moment each round.
        for (let i = 0; i < 400; i += 1) {
          const j = (await h.send('GET', `/api/v1/children/import/${id}`)).json;
          if (j.running && j.done >= 1000 * (round + 1)) break;
          assert.ok(j.running || j.status === 'queued', `the import ended before it was killed: ${JSON.stringify(j)}`);
          await sleep(20);
        }
        const uploads = join(db.dir, 'uploads', 'imports');
        assert.equal(readdirSync(uploads).length, 1, 'the upload is on disk while the job runs');
        await server.stop('SIGKILL');
        server = await serve(env);
        h.base = server.url;
        const job = (await h.send('GET', `/api/v1/children/import/${id}`)).json;
        assert.equal(job.status, 'failed', JSON.stringify(job));
        assert.equal(job.running, false);
        assert.equal(job.errors[0].code, 'import_interrupted', JSON.stringify(job));
        assert.match(job.errors[0].message, /\S/);
        assert.equal(await childrenCount(h), before, 'no row of the interrupted import');
        assert.ok(!existsSync(uploads) || readdirSync(uploads).length === 0, 'the upload is swept at the start');
      }
    } finally {
      await server.stop('SIGKILL');
      db.drop();
    }
  });

  test(`${backend}: a burst of ledger writes killed half-way keeps every acknowledged entry and true totals`, async () => {
    const db = demoDatabase(`doroga_fault_${backend}`, backend);
    const env = { ...db.env, DOROGA_SERVER_ID: `fault-${backend}` };
    let server = await serve(env);
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const h = await new Http(server.url).withToken('school1');
        const school = (await h.send('GET', '/api/v1/me')).json.scope.id;
        const children = (await h.send('GET', '/api/v1/children?per_page=100')).json.rows.map((c) => c.id);
        const acknowledged = [];
        let refused = 0;
        const entry = { source: 'fair', form: 'cash', amount: '100', date: '15.08.2026', delivered: true };
        const burst = [];
        for (let i = 0; i < 400; i += 1) {
          burst.push(h.send('POST', `/api/v1/children/${children[i % children.length]}/aid`, { json: entry })
            .then((r) => {
              if (r.status === 201) acknowledged.push(r.json.id);
              else assert.ok(r.status < 500, `${r.status} ${r.text}`);
            })
            .catch(() => { refused += 1; }));
        }
        while (acknowledged.length < 50 + 50 * round) await sleep(5);
        await server.stop('SIGKILL');
        await Promise.all(burst);
        assert.ok(refused > 0, 'the kill cut the burst');
        server = await serve(env);
        h.base = server.url;
        const kept = new Set();
        let sum = 0;
        for (const id of children) {
          for (const e of (await h.send('GET', `/api/v1/children/${id}/aid`)).json) {
            kept.add(e.id);
            if (e.source === 'fair') sum += e.amount;
          }
        }
        for (const id of acknowledged) assert.ok(kept.has(id), `acknowledged entry ${id} is kept`);
        const report = (await h.send('GET', `/api/v1/reports/school?unit=${school}`)).json;
        assert.equal(report.figures.by_source.fair ?? 0, sum, 'the report\'s running totals equal the entries');
      }
    } finally {
      await server.stop('SIGKILL');
      db.drop();
    }
  });
}
