// A case's steps and the day's roll on a phone that loses its connection: a step is saved on
// the phone first (IndexedDB; a roll, which holds only ids and a day, in local storage), with an
// id made on the phone, and sent whenever there is a connection. The server treats that id as
// the step's key, so sending again never makes a second step; a roll sent twice marks the same
// days (a pupil's day out is kept once). Each record shows its state in the page's language (the
// texts come from the page): saved on the phone, sent, or refused and why. Without this script
// the forms post as any form does. A record is sent only under the account that saved it.
'use strict';

(function () {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});

  /** Whether the record was saved by another account than the one signed in on this page. */
  const foreign = (list, r) => r.owner != null && String(r.owner) !== list.dataset.owner;

  /** Shows the records not yet sent in `list`, each with what it is and its state. */
  function render(list, records, describe) {
    list.replaceChildren();
    for (const r of records.filter((x) => x.state !== 'sent')) {
      const li = document.createElement('li');
      li.className = 'card outbox-item';
      li.dataset.state = foreign(list, r) ? 'other' : r.state;
      const what = document.createElement('p');
      what.textContent = describe(r);
      const state = document.createElement('p');
      state.className = 'outbox-state';
      state.setAttribute('role', 'status');
      state.textContent = foreign(list, r) ? list.dataset.other
        : r.state === 'refused' ? list.dataset.refused.replace('{reason}', r.error || '') : list.dataset[r.state];
      if (r.step_id) li.dataset.step = String(r.step_id);
      li.append(what, state);
      list.append(li);
    }
  }

  /**
   * Sends one record: `sent`, `refused` (with the server's reason), `conflict` (changed on the
   * server meanwhile: kept there for a coordinator) or `kept` (no answer yet).
   */
  async function send(url, body, method) {
    let response;
    try {
      response = await fetch(url, {
        method: method || 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (_) {
      return { state: 'kept' }; // No connection after all: the record stays on the phone.
    }
    if (response.status === 401 || response.status >= 500) return { state: 'kept' };
    if (response.ok) return { state: 'sent' };
    if (response.status === 409) return { state: 'conflict' };
    const e = ((await response.json().catch(() => ({}))).error) || {};
    return { state: 'refused', error: (e.fields && e.fields.length ? e.fields.map((x) => x.message) : [e.message]).join(' ') };
  }

  /**
   * Keeps a form's records on the phone while offline and sends them when it is back; `more`
   * holds other forms of the page, each with the record it makes.
   */
  function outbox({ form, list, load, save, entry, describe, url, body, method, done, more = [] }) {
    let sending = false;
    const refresh = () => load().then((records) => render(list, records, describe));
    async function flush() {
      if (sending || !navigator.onLine) return;
      sending = true;
      let sent = 0;
      try {
        // Only what this account saved: another's records wait for it to sign in on this phone.
        for (const r of (await load()).filter((x) => x.state === 'local' && !foreign(list, x))) {
          const answer = await send(url(r), body(r), method ? method(r) : 'POST');
          if (answer.state === 'kept') break;
          Object.assign(r, { state: answer.state, error: answer.error || null });
          sent += answer.state === 'sent' ? 1 : 0;
          await save(r);
        }
      } finally {
        sending = false;
        await refresh();
      }
      // The server's page now holds what was sent.
      if (sent > 0) window.location.assign(done);
    }
    for (const [f, make] of [[form, entry], ...more]) {
      f.addEventListener('submit', async (event) => {
        if (navigator.onLine) return; // With a connection the form posts as it is.
        event.preventDefault();
        const owner = Number(list.dataset.owner);
        await save({ ...make(new FormData(f), f), owner, state: 'local', error: null, saved_at: new Date().toISOString() });
        await refresh();
      });
    }
    window.addEventListener('online', flush);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
    setInterval(flush, 30000);
    refresh().then(flush);
  }

  const stepForm = document.getElementById('step-form');
  const stepList = document.getElementById('step-outbox');
  if (stepForm && stepList) {
    const caseId = Number(stepForm.dataset.case);
    const store = new Promise((resolve, reject) => {
      const req = indexedDB.open('doroga-steps', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('steps', { keyPath: 'client_id' }).createIndex('case', 'case_id');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = (mode, work) => store.then((db) => new Promise((resolve, reject) => {
      const t = db.transaction('steps', mode);
      const result = work(t.objectStore('steps'));
      t.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    }));
    const kind = (value) => {
      const option = stepForm.querySelector(`[name="kind"] option[value="${CSS.escape(value)}"]`);
      return option ? option.textContent : value;
    };
    outbox({
      form: stepForm,
      list: stepList,
      load: () => tx('readonly', (s) => s.index('case').getAll(caseId)),
      save: (r) => tx('readwrite', (s) => s.put(r)),
      entry: (data) => {
        const step = {};
        for (const name of ['client_id', 'kind', 'due_on', 'done_on', 'outcome']) step[name] = String(data.get(name) || '').trim();
        // The next step made on this page gets an id of its own.
        stepForm.reset();
        stepForm.elements.namedItem('client_id').value = crypto.randomUUID();
        return { client_id: step.client_id, case_id: caseId, step };
      },
      describe: (r) => [kind(r.step.kind), r.step.done_on || r.step.due_on, r.step.outcome].filter(Boolean).join(' · '),
      // A step marked done offline changes the version the page showed: a change made since on
      // the server makes it a conflict for a coordinator, never an overwrite.
      url: (r) => (r.step_id ? `/api/v1/steps/${r.step_id}` : `/api/v1/cases/${caseId}/steps`),
      body: (r) => (r.step_id ? { version: r.version, step: r.step, offline: true } : { step: r.step }),
      method: (r) => (r.step_id ? 'PUT' : 'POST'),
      done: `/attendance/cases/${caseId}?saved=1#steps`,
      more: [...document.querySelectorAll('form.step-done')].map((f) => [f, (data) => {
        const step = {};
        for (const name of ['kind', 'due_on', 'done_on', 'outcome']) step[name] = String(data.get(name) || '').trim();
        const version = Number(data.get('version'));
        // One change per step and version: a second one typed before sending replaces the first.
        return { client_id: `step-${f.dataset.step}-v${version}`, case_id: caseId, step_id: Number(f.dataset.step), version, step };
      }]),
    });
    // The page kept for offline use carries the id it was made with: each visit takes a new one.
    stepForm.elements.namedItem('client_id').value = crypto.randomUUID();
  }

  const rollForm = document.getElementById('roll-form');
  const rollList = document.getElementById('roll-outbox');
  if (rollForm && rollList) {
    const KEY = 'doroga-roll';
    const kept = () => JSON.parse(localStorage.getItem(KEY) || '[]');
    outbox({
      form: rollForm,
      list: rollList,
      load: async () => kept(),
      save: async (r) => localStorage.setItem(KEY, JSON.stringify(kept().filter((x) => x.id !== r.id).concat([r]))),
      entry: (data) => {
        const roll = { id: crypto.randomUUID(), day: String(data.get('day') || '').trim(), out: [], back: [] };
        for (const [name, value] of data.entries()) {
          if (!name.startsWith('mark_')) continue;
          (value === 'back' ? roll.back : roll.out).push(Number(name.slice('mark_'.length)));
        }
        return roll;
      },
      describe: (r) => `${r.day}: ${r.out.length} / ${r.back.length}`,
      url: () => '/api/v1/attendance/roll',
      body: (r) => ({ day: r.day, out: r.out, back: r.back }),
      done: '/attendance/roll?saved=1',
    });
  }
})();
