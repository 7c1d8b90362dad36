// Doroga's service worker: keeps the field pages (a raid's form, a case of a pupil out of school,
// the task list) and the files they need, so a phone opens them again without a connection. They
// are always asked of the server first; the copy kept is only for when there is no connection,
// and signing out drops every page kept (the files stay) and every record the phone has already
// sent (what is not sent yet stays, so nothing typed is lost). No other page is kept.
'use strict';

const CACHE = 'doroga-field-__VERSION__';
const FILES = __FILES__;
const FIELD = /^\/(raids\/\d+\/field|attendance\/cases\/\d+|attendance\/tasks|attendance\/roll)$/;
const PAGES = 'doroga-pages';
/** The phone's outboxes: database, store. */
const OUTBOXES = [['doroga-field', 'outbox'], ['doroga-steps', 'steps']];

/** Removes from the outboxes what the server holds already (names and IINs need not stay). */
function dropSent() {
  return Promise.all(OUTBOXES.map(([name, store]) => new Promise((resolve) => {
    const req = indexedDB.open(name);
    req.onerror = () => resolve();
    // No such database on this phone: nothing to drop (and none is made).
    req.onupgradeneeded = () => { req.transaction.abort(); };
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(store)) { db.close(); resolve(); return; }
      const t = db.transaction(store, 'readwrite');
      const all = t.objectStore(store).openCursor();
      all.onsuccess = () => {
        const cursor = all.result;
        if (!cursor) return;
        const r = cursor.value;
        const unsentPhoto = (r.photos || []).some((p) => p.state === 'local');
        if (r.state !== 'local' && !unsentPhoto) cursor.delete();
        cursor.continue();
      };
      t.oncomplete = () => { db.close(); resolve(); };
      t.onerror = () => { db.close(); resolve(); };
    };
  })));
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('doroga-field-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (event.request.method === 'POST' && url.pathname === '/logout') {
    event.waitUntil(Promise.all([caches.delete(PAGES), dropSent()]));
    return;
  }
  if (event.request.method !== 'GET') return;
  if (event.request.mode === 'navigate' && FIELD.test(url.pathname)) {
    // The page without its query (`?sent=1`) is the one kept.
    const key = url.origin + url.pathname;
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(PAGES).then((c) => c.put(key, copy));
          }
          return response;
        })
        .catch(() => caches.open(PAGES).then((c) => c.match(key)).then((kept) => kept || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(event.request).then((kept) => kept || fetch(event.request)));
  }
});
