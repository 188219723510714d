// common.js: what both pages share: the JSON API with the session's
// CSRF token on every POST, and text-only DOM helpers (nothing from the
// server is ever parsed as HTML).
"use strict";

const xend = {
  csrf: null,

  async get(path) {
    const r = await fetch(path, { credentials: "same-origin" });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
    return body;
  },

  async post(action) {
    if (xend.csrf === null) xend.csrf = (await xend.get("/api/session")).csrf;
    const r = await fetch("/api/action", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": xend.csrf },
      body: JSON.stringify(action),
    });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
    return body;
  },

  el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  },

  mib(kib) {
    return (kib / 1024).toFixed(0) + " MiB";
  },

  status(msg, isError) {
    const s = document.getElementById("status");
    s.textContent = msg;
    s.className = isError ? "error" : "ok";
  },
};
