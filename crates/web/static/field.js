// The field page's outbox: each child found is saved on the phone first (IndexedDB), with an
// id made on the phone, then sent with the others whenever there is a connection. The server
// treats that id as the record's key, so sending again never makes a second record. Each record
// shows its state in the page's language (the texts come from the page, never from here):
// saved on the phone, sent, a conflict with a change made on the server, or refused and why.
// A photo taken with a record is shrunk on the phone first (a camera's 20 MB picture becomes a
// few hundred kilobytes, and loses the place it was taken), kept beside the record, and sent once
// the record is on the server; the server's own limit and type check answer what is still wrong.
// A record is sent only under the account that saved it: another account's, left on a shared phone,
// waits for that account to sign in again.
'use strict';

(function () {
  const form = document.getElementById('finding-form');
  const list = document.getElementById('outbox');
  const net = document.getElementById('net-state');
  if (!form || !list) return;
  const raidId = Number(form.dataset.raid);
  const texts = list.dataset;
  const BATCH = 100;
  const PHOTO_SIDE = 1600;
  const photoInput = document.getElementById('photo');
  const photoField = document.getElementById('photo-field');
  if (photoField) photoField.hidden = false;
  let sending = false;

  /** A picture made small enough for a slow link: at most PHOTO_SIDE pixels a side, as JPEG. */
  async function shrink(file) {
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
      if (blob) return blob;
    } catch (_) {
      // A picture this browser cannot read (HEIC on some phones) goes as it is: the server says.
    }
    return file;
  }

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }

  function openStore() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open('doroga-field', 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore('outbox', { keyPath: 'client_id' });
        store.createIndex('raid', 'raid_id');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  const store = openStore();

  function tx(mode, work) {
    return store.then((db) => new Promise((resolve, reject) => {
      const t = db.transaction('outbox', mode);
      const result = work(t.objectStore('outbox'));
      t.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    }));
  }
  const all = () => tx('readonly', (s) => s.index('raid').getAll(raidId));
  const put = (record) => tx('readwrite', (s) => s.put(record));
  const get = (id) => tx('readonly', (s) => s.get(id));

  function fields() {
    const data = new FormData(form);
    const finding = {};
    for (const name of ['client_id', 'iin', 'name', 'sex', 'age', 'place', 'address', 'found_at', 'circumstances', 'action']) {
      finding[name] = String(data.get(name) || '').trim();
    }
    const base = String(data.get('base_version') || '').trim();
    return { finding, base: base === '' ? null : Number(base) };
  }

  function optionText(name, value) {
    const option = form.querySelector(`[name="${name}"] option[value="${CSS.escape(value)}"]`);
    return option ? option.textContent : value;
  }

  /** Whether another account saved the record on this phone (it waits for that account). */
  const foreign = (r) => r.owner != null && String(r.owner) !== texts.owner;

  function stateText(r) {
    if (foreign(r)) return texts.other;
    if (r.state === 'refused') return texts.refused.replace('{reason}', r.error || '');
    return texts[r.state] || r.state;
  }

  function render(records) {
    list.replaceChildren();
    records.sort((a, b) => a.saved_at.localeCompare(b.saved_at));
    for (const r of records) {
      const li = document.createElement('li');
      li.className = 'card outbox-item';
      li.dataset.state = foreign(r) ? 'other' : r.state;
      li.dataset.clientId = r.client_id;
      const what = document.createElement('p');
      const f = r.finding;
      const who = [f.name, f.iin, optionText('sex', f.sex), f.age].filter(Boolean).join(', ');
      what.textContent = [f.found_at, optionText('place', f.place), who, optionText('action', f.action)].filter(Boolean).join(' · ');
      const state = document.createElement('p');
      state.className = 'outbox-state';
      state.setAttribute('role', 'status');
      state.textContent = stateText(r);
      li.append(what, state);
      for (const p of r.photos || []) {
        const line = document.createElement('p');
        line.className = 'outbox-photo';
        line.dataset.state = p.state;
        line.textContent = p.state === 'refused' ? texts.photoRefused.replace(/\{\s*\$?reason\s*\}/, p.error || '') : texts[p.state === 'sent' ? 'photoSent' : 'photoLocal'];
        li.append(line);
      }
      if (r.state !== 'sending' && !foreign(r)) {
        const edit = document.createElement('button');
        edit.type = 'button';
        edit.className = 'secondary';
        edit.textContent = texts.edit;
        edit.addEventListener('click', () => load(r));
        li.append(edit);
      }
      list.append(li);
    }
    const counter = document.getElementById('outbox-count');
    if (counter) counter.textContent = String(records.length);
  }

  const refresh = () => all().then(render);

  function load(r) {
    for (const [name, value] of Object.entries(r.finding)) {
      const input = form.elements.namedItem(name);
      if (input) input.value = value;
    }
    form.elements.namedItem('base_version').value = r.version == null ? '' : String(r.version);
    form.scrollIntoView({ behavior: 'smooth' });
    form.elements.namedItem('iin').focus();
  }

  function blank() {
    form.reset();
    form.elements.namedItem('client_id').value = crypto.randomUUID();
    form.elements.namedItem('base_version').value = '';
  }

  function showNet() {
    if (!net) return;
    net.textContent = navigator.onLine ? net.dataset.online : net.dataset.offline;
    net.dataset.online_now = String(navigator.onLine);
  }

  async function flush() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      // Only what this account saved: another's records wait for it to sign in on this phone.
      const waiting = (await all()).filter((r) => r.state === 'local' && !foreign(r));
      for (let i = 0; i < waiting.length; i += BATCH) {
        const batch = waiting.slice(i, i + BATCH);
        const items = batch.map((r) => ({ raid_id: r.raid_id, base_version: r.base_version, finding: r.finding }));
        let response;
        try {
          response = await fetch('/api/v1/sync', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ items }),
          });
        } catch (_) {
          break; // No connection after all: the records stay on the phone.
        }
        if (response.status === 401) {
          if (net) net.textContent = net.dataset.signin;
          break;
        }
        if (!response.ok) break;
        const answer = await response.json();
        for (const result of answer.results) {
          const r = await get(result.client_id);
          if (!r) continue;
          // A record changed on the phone while its batch was on the way is sent again.
          const now = batch.find((b) => b.client_id === r.client_id);
          if (now && JSON.stringify(now.finding) !== JSON.stringify(r.finding)) continue;
          if (result.state === 'saved') {
            r.state = 'sent';
            r.version = result.finding.version;
            r.base_version = result.finding.version;
            r.error = null;
          } else if (result.state === 'conflict') {
            r.state = result.resolution === 'kept' ? 'kept' : 'conflict';
            r.version = result.finding ? result.finding.version : r.version;
          } else {
            r.state = 'refused';
            const e = result.error || {};
            r.error = (e.fields && e.fields.length ? e.fields.map((x) => x.message) : [e.message]).join(' ');
          }
          await put(r);
        }
      }
      await sendPhotos();
    } finally {
      sending = false;
      await refresh();
    }
  }

  /** Sends the photos of the records the server holds; each once (the server knows its bytes). */
  async function sendPhotos() {
    for (const r of await all()) {
      if (r.state === 'local' || r.state === 'refused' || foreign(r)) continue;
      let changed = false;
      for (const p of (r.photos || []).filter((x) => x.state === 'local')) {
        const body = new FormData();
        body.append('file', p.blob, 'photo.jpg');
        let response;
        try {
          response = await fetch(`/api/v1/raids/${raidId}/findings/${encodeURIComponent(r.client_id)}/photos`, {
            method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body,
          });
        } catch (_) {
          return; // No connection after all: the photos stay on the phone.
        }
        if (response.status === 401 || response.status >= 500) return;
        if (response.ok) {
          Object.assign(p, { state: 'sent', error: null, blob: null });
        } else {
          const e = ((await response.json().catch(() => ({}))).error) || {};
          Object.assign(p, { state: 'refused', blob: null, error: (e.fields && e.fields.length ? e.fields.map((x) => x.message) : [e.message]).join(' ') });
        }
        changed = true;
      }
      if (changed) await put(r);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { finding, base } = fields();
    const before = await get(finding.client_id);
    const photos = before && before.photos ? before.photos : [];
    const picked = photoInput && photoInput.files && photoInput.files[0];
    if (picked) photos.push({ state: 'local', error: null, blob: await shrink(picked) });
    const record = {
      client_id: finding.client_id,
      raid_id: raidId,
      // A change to a record the server holds names the version it was made on.
      base_version: before && before.version != null ? before.version : base,
      version: before ? before.version : base,
      finding,
      state: 'local',
      error: null,
      saved_at: before ? before.saved_at : new Date().toISOString(),
      photos,
      owner: Number(texts.owner),
    };
    await put(record);
    blank();
    await refresh();
    const note = document.getElementById('saved-note');
    if (note) note.textContent = note.dataset.saved;
    flush();
  });

  // A page kept for offline use carries the id it was first made with: each visit takes a new one
  // unless it opened a record to change.
  if (!form.elements.namedItem('base_version').value) {
    form.elements.namedItem('client_id').value = crypto.randomUUID();
  }
  window.addEventListener('online', () => { showNet(); flush(); });
  window.addEventListener('offline', showNet);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
  setInterval(flush, 30000);
  showNet();
  refresh().then(flush);
})();
