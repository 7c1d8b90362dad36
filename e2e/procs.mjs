// Real processes for the operations tests: `doroga` servers on a PostgreSQL database of their
// own, HAProxy in front of them, and a small HTTP client that keeps a session cookie.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PASSWORD = 'Тест-пароль-2026';
export const BIN = process.env.DOROGA_BIN ?? resolve(import.meta.dirname, '../target/debug/doroga');
const PG = process.env.DOROGA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const HAPROXY = process.env.HAPROXY ?? '/usr/sbin/haproxy';

/** A fresh database (PostgreSQL unless `backend` is `sqlite`) with the demo loaded and known
 * passwords, and a folder for its uploads; `drop()` removes both. */
export function demoDatabase(prefix, backend = 'postgres') {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  let url = `sqlite://${join(dir, 'doroga.db')}?mode=rwc`;
  if (backend === 'postgres') {
    execFileSync('psql', [`${PG}/postgres`, '-qc', `CREATE DATABASE "${name}"`]);
    url = `${PG}/${name}`;
  }
  const env = { ...process.env, DOROGA_DATABASE_URL: url, DOROGA_UPLOAD_DIR: join(dir, 'uploads'), RUST_LOG: 'warn' };
  execFileSync(BIN, ['demo'], { env, stdio: 'ignore' });
  for (const login of ['school1', 'balkhash', 'karaganda', 'raid', 'sponsor', 'sponsor2']) {
    execFileSync(BIN, ['user', 'password', login, '--password', PASSWORD], { env, stdio: 'ignore' });
  }
  return {
    url,
    env,
    dir,
    drop() {
      if (backend === 'postgres') {
        execFileSync('psql', [`${PG}/postgres`, '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `doroga serve` on a free port (or on `bind`); resolves with its address once it listens. */
export async function serve(env, extra = [], bind = '127.0.0.1:0') {
  const child = spawn(BIN, ['serve', '--bind', bind, ...extra], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited with ${code}: ${out}`)); });
  });
  return {
    url,
    child,
    /** SIGTERM (or another signal) and wait for the exit. */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill(signal);
      await exited;
    },
  };
}

export async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise((ok) => {
      const c = connect(port, '127.0.0.1', () => { c.end(); ok(true); });
      c.on('error', () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** HAProxy balancing round-robin over `backends` (addresses `http://host:port`). */
export async function balancer(backends) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'doroga-haproxy-'));
  const servers = backends
    .map((b, i) => `  server s${i} ${new URL(b).host} check inter 1s`)
    .join('\n');
  const config = `global
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option forwardfor
frontend web
  bind 127.0.0.1:${port}
  default_backend doroga
backend doroga
  balance roundrobin
${servers}
`;
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  execFileSync(HAPROXY, ['-c', '-q', '-f', file]);
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP client that keeps the session cookie, like a browser, or sends a bearer token. */
export class Http {
  constructor(base) { this.base = base; this.cookie = ''; this.token = ''; }

  async send(method, path, { json, form, multipart } = {}) {
    const headers = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body;
    if (json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(json); }
    if (form !== undefined) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
    if (multipart !== undefined) body = multipart;
    const r = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    const set = r.headers.getSetCookie?.() ?? [];
    for (const c of set) {
      const pair = c.split(';')[0];
      if (pair.startsWith('doroga_session=')) this.cookie = pair;
    }
    const text = await r.text();
    let data;
    try { data = JSON.parse(text); } catch { data = undefined; }
    return { status: r.status, headers: r.headers, text, json: data };
  }

  async signIn(login, password = PASSWORD) {
    const r = await this.send('POST', '/login', { form: { login, password } });
    if (r.status !== 303) throw new Error(`sign-in of ${login}: ${r.status} ${r.text.slice(0, 200)}`);
    return r;
  }

  /** Signs in and takes an API token. */
  async withToken(login) {
    await this.signIn(login);
    const r = await this.send('POST', '/api/v1/tokens', { json: { name: 'ops test' } });
    if (r.status !== 201) throw new Error(`token for ${login}: ${r.status} ${r.text}`);
    this.token = r.json.secret;
    this.cookie = '';
    return this;
  }
}
