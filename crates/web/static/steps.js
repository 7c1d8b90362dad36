// A case's steps and the day's roll on a phone that loses its connection: a step is saved on
// the phone first (IndexedDB; a roll, which holds only ids and a day, in local storage), with an
// id made on the phone, and sent whenever there is a
// connection. The server treats that id as the step's key, so sending again never makes a second
// step; a roll sent twice marks the same days (a pupil's day out is kept once). Each record shows
// its state in the page's language (the texts come from the page): saved on the phone, sent, or
// refused and why. Without this script the forms post as any form does.
'use strict';

(function () {
  const form = document.getElementById('roll-form');
  const list = document.getElementById('roll-outbox');
  if (!form || !list) return;
  const texts = list.dataset;
  let sending = false;
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
  const KEY = 'doroga-roll';
  const kept = () => JSON.parse(localStorage.getItem(KEY) || '[]');
  const keep = (rolls) => localStorage.setItem(KEY, JSON.stringify(rolls));

  function render() {
    list.replaceChildren();
    for (const r of kept().filter((x) => x.state !== 'sent')) {
      const li = document.createElement('li');
      li.className = 'card outbox-item';
      li.dataset.state = r.state;
      const what = document.createElement('p');
      what.textContent = `${r.day}: ${r.out.length} / ${r.back.length}`;
      const state = document.createElement('p');
      state.className = 'outbox-state';
      state.setAttribute('role', 'status');
      state.textContent = r.state === 'refused' ? texts.refused.replace('{reason}', r.error || '') : texts[r.state];
      li.append(what, state);
      list.append(li);
    }
  }

  async function flush() {
    if (sending || !navigator.onLine) return;
    sending = true;
    let sent = 0;
    try {
      const rolls = kept();
      for (const r of rolls.filter((x) => x.state === 'local')) {
        let response;
        try {
          response = await fetch('/api/v1/attendance/roll', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ day: r.day, out: r.out, back: r.back }),
          });
        } catch (_) {
          break;
        }
        if (response.status === 401 || response.status >= 500) break;
        if (response.ok) {
          r.state = 'sent';
          sent += 1;
        } else {
          const e = ((await response.json().catch(() => ({}))).error) || {};
          r.state = 'refused';
          r.error = (e.fields && e.fields.length ? e.fields.map((x) => x.message) : [e.message]).join(' ');
        }
        keep(rolls);
      }
    } finally {
      sending = false;
      render();
    }
    if (sent > 0) window.location.assign('/attendance/roll?saved=1');
  }

  form.addEventListener('submit', (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    const data = new FormData(form);
    const roll = { day: String(data.get('day') || '').trim(), out: [], back: [], state: 'local', error: null };
    for (const [name, value] of data.entries()) {
      const id = Number(name.replace(/^mark_/, ''));
      if (name.startsWith('mark_') && value === 'out') roll.out.push(id);
      if (name.startsWith('mark_') && value === 'back') roll.back.push(id);
    }
    keep(kept().concat([roll]));
    render();
  });
  window.addEventListener('online', flush);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
  render();
  flush();
})();

(function () {
  const form = document.getElementById('step-form');
  const list = document.getElementById('step-outbox');
  if (!form || !list) return;
  const caseId = Number(form.dataset.case);
  const texts = list.dataset;
  let sending = false;

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }

  const store = new Promise((resolve, reject) => {
    const req = indexedDB.open('doroga-steps', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('steps', { keyPath: 'client_id' }).createIndex('case', 'case_id');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  function tx(mode, work) {
    return store.then((db) => new Promise((resolve, reject) => {
      const t = db.transaction('steps', mode);
      const result = work(t.objectStore('steps'));
      t.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    }));
  }
  const mine = () => tx('readonly', (s) => s.index('case').getAll(caseId));
  const put = (record) => tx('readwrite', (s) => s.put(record));

  function optionText(value) {
    const option = form.querySelector(`[name="kind"] option[value="${CSS.escape(value)}"]`);
    return option ? option.textContent : value;
  }

  function render(records) {
    list.replaceChildren();
    const shown = records.filter((r) => r.state !== 'sent').sort((a, b) => a.saved_at.localeCompare(b.saved_at));
    for (const r of shown) {
      const li = document.createElement('li');
      li.className = 'card outbox-item';
      li.dataset.state = r.state;
      const what = document.createElement('p');
      what.textContent = [optionText(r.step.kind), r.step.due_on, r.step.outcome].filter(Boolean).join(' · ');
      const state = document.createElement('p');
      state.className = 'outbox-state';
      state.setAttribute('role', 'status');
      state.textContent = r.state === 'refused' ? texts.refused.replace('{reason}', r.error || '') : texts[r.state];
      li.append(what, state);
      list.append(li);
    }
  }
  const refresh = () => mine().then(render);

  async function flush() {
    if (sending || !navigator.onLine) return;
    sending = true;
    let sent = 0;
    try {
      for (const r of (await mine()).filter((x) => x.state === 'local')) {
        let response;
        try {
          response = await fetch(`/api/v1/cases/${caseId}/steps`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ step: r.step }),
          });
        } catch (_) {
          break; // No connection after all: the step stays on the phone.
        }
        if (response.status === 401 || response.status >= 500) break;
        if (response.ok) {
          r.state = 'sent';
          sent += 1;
        } else {
          const e = ((await response.json().catch(() => ({}))).error) || {};
          r.state = 'refused';
          r.error = (e.fields && e.fields.length ? e.fields.map((x) => x.message) : [e.message]).join(' ');
        }
        await put(r);
      }
    } finally {
      sending = false;
      await refresh();
    }
    // The server's page now holds what was sent.
    if (sent > 0) window.location.assign(`/attendance/cases/${caseId}?saved=1#steps`);
  }

  form.addEventListener('submit', async (event) => {
    if (navigator.onLine) return; // With a connection the form posts as it is.
    event.preventDefault();
    const data = new FormData(form);
    const step = {};
    for (const name of ['client_id', 'kind', 'due_on', 'done_on', 'outcome']) step[name] = String(data.get(name) || '').trim();
    await put({ client_id: step.client_id, case_id: caseId, step, state: 'local', error: null, saved_at: new Date().toISOString() });
    form.reset();
    form.elements.namedItem('client_id').value = crypto.randomUUID();
    await refresh();
  });

  // The page kept for offline use carries the id it was made with: each visit takes a new one.
  form.elements.namedItem('client_id').value = crypto.randomUUID();
  window.addEventListener('online', flush);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
  setInterval(flush, 30000);
  refresh().then(flush);
})();
