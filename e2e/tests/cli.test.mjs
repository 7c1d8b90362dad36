// Issue 15: the command line answers a mistake with one sentence in the operator's language,
// and a Rust trace only when RUST_BACKTRACE asks for one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../procs.mjs';

let dir;
let env;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'doroga-cli-'));
  env = { ...process.env, DOROGA_DATABASE_URL: `sqlite://${join(dir, 'cli.db')}?mode=rwc`, RUST_LOG: 'warn' };
  delete env.RUST_BACKTRACE;
  delete env.RUST_LIB_BACKTRACE;
  delete env.DOROGA_LANG;
  env.LANG = 'C.UTF-8';
  assert.equal(spawnSync(BIN, ['migrate'], { env }).status, 0);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function doroga(args, extra = {}) {
  const r = spawnSync(BIN, args, { env: { ...env, ...extra }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function oneSentence(r) {
  assert.equal(r.status, 1, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.err}`);
  assert.match(lines[0], /^doroga: \S/);
  assert.doesNotMatch(r.err, /backtrace|panicked|FieldError|src\/|\.rs:/i);
  return lines[0];
}

test('a bad login, a short password, a taken login and an unknown account: one sentence each', () => {
  const bad = oneSentence(doroga(['user', 'add', '--login', 'b a d', '--name', 'Иванова', '--role', 'school_coordinator']));
  assert.match(bad, /Логин/);
  const kk = oneSentence(doroga(['user', 'add', '--login', 'b a d', '--name', 'Иванова', '--role', 'school_coordinator'], { DOROGA_LANG: 'kk' }));
  assert.notEqual(kk, bad, 'Kazakh, not Russian');
  assert.match(kk, /Логин/);
  const role = oneSentence(doroga(['user', 'add', '--login', 'ivanova', '--name', 'Иванова', '--role', 'boss'], { LANG: 'kk_KZ.UTF-8' }));
  assert.match(role, /Рөлі/);
  const short = oneSentence(doroga(['user', 'add', '--login', 'ivanova', '--name', 'Иванова', '--role', 'republic_coordinator', '--password', '123']));
  assert.match(short, /Пароль/);
  const made = doroga(['user', 'add', '--login', 'ivanova', '--name', 'Иванова', '--role', 'republic_coordinator']);
  assert.equal(made.status, 0, made.err);
  const taken = oneSentence(doroga(['user', 'add', '--login', 'ivanova', '--name', 'Иванова', '--role', 'republic_coordinator']));
  assert.match(taken, /Логин.*уже есть/);
  assert.match(oneSentence(doroga(['user', 'disable', 'nobody'])), /«nobody»/);
  assert.match(oneSentence(doroga(['user', 'password', 'nobody', '--password', 'Очень-длинный-пароль-1'])), /«nobody»/);
});

test('RUST_BACKTRACE brings the trace back for a developer', () => {
  const r = doroga(['user', 'disable', 'nobody'], { RUST_BACKTRACE: '1' });
  assert.equal(r.status, 1);
  assert.match(r.err, /«nobody»/);
  assert.match(r.err, /backtrace/i);
});
