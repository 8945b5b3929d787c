// borderwatch workbench: hover details in the report reader, review actions, selections.
// Plain DOM code, no library; report text is only ever inserted with textContent.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

async function post(url, body, method = "POST") {
  const res = await fetch(url, {
    method,
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail; } catch (e) { /* plain error */ }
    alert("Not saved: " + (typeof detail === "string" ? detail : JSON.stringify(detail)));
    return null;
  }
  return res.json();
}

function showFacts(keys) {
  const panel = document.getElementById("fact-detail");
  if (!panel) return;
  document.querySelectorAll(".fact.current").forEach(el => el.classList.remove("current"));
  panel.replaceChildren();
  for (const key of keys) {
    const src = document.getElementById("fact-" + key);
    if (!src) continue;
    src.classList.add("current");
    const copy = src.cloneNode(true);
    copy.removeAttribute("id");
    copy.classList.remove("fact", "current");
    copy.classList.add("fact-copy");
    copy.querySelectorAll("[id]").forEach(el => el.removeAttribute("id"));
    copy.querySelectorAll(".actions").forEach(el => el.remove());
    panel.appendChild(copy);
  }
}

function textOffset(root, node, offset) {
  // Character offset of (node, offset) inside root's text: the segments reproduce the report
  // text exactly, so this equals the offset into the stored cleaned text.
  let total = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (walker.currentNode === node) return total + offset;
    total += walker.currentNode.textContent.length;
  }
  return null;
}

function setupReader() {
  const text = document.getElementById("report-text");
  if (!text) return;
  const reportId = document.querySelector(".reader").dataset.report;
  text.querySelectorAll(".hl").forEach(el => {
    const keys = el.dataset.facts.split(" ");
    el.addEventListener("mouseenter", () => showFacts(keys));
    el.addEventListener("focus", () => showFacts(keys));
    el.addEventListener("click", () => showFacts(keys));
  });
  let selection = null;
  text.addEventListener("mouseup", () => {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const start = textOffset(text, range.startContainer, range.startOffset);
    const end = textOffset(text, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    selection = {start, end};
    const box = document.getElementById("add-event");
    document.getElementById("add-selection").textContent = "“" + sel.toString() + "” (" + start + "–" + end + ")";
    box.classList.remove("hidden");
  });
  const add = document.getElementById("add-submit");
  if (add) add.addEventListener("click", async () => {
    if (!selection) return;
    const places = document.getElementById("add-places").value.split(";").map(s => s.trim()).filter(Boolean);
    const out = await post(`/api/reports/${reportId}/events`, {
      start: selection.start, end: selection.end, type: document.getElementById("add-type").value, places});
    if (out) location.reload();
  });
  document.querySelectorAll(".fact").forEach(fact => {
    const id = fact.dataset.id;
    fact.querySelectorAll(".act-accept, .act-reject").forEach(btn => btn.addEventListener("click", async () => {
      const action = btn.classList.contains("act-accept") ? "accept" : "reject";
      const out = await post(`/api/facts/${btn.dataset.table}/${id}/review`, {action});
      if (out) location.reload();
    }));
    const fix = fact.querySelector(".act-correct");
    if (fix) fix.addEventListener("click", async () => {
      const body = {
        type: fact.querySelector(".fix-type").value,
        places: fact.querySelector(".fix-places").value.split(";").map(s => s.trim()).filter(Boolean),
        date: fact.querySelector(".fix-date").value || null,
        attribution_holder: fact.querySelector(".fix-holder").value || null,
        attribution_kind: fact.querySelector(".fix-kind").value || null,
      };
      const out = await post(`/api/events/${id}/correct`, body);
      if (out) location.reload();
    });
  });
  if (location.hash.startsWith("#event-")) {
    const key = location.hash.slice(1);
    const mark = text.querySelector(`[data-facts~="${CSS.escape(key)}"]`);
    if (mark) { mark.classList.add("target"); showFacts(mark.dataset.facts.split(" ")); }
  }
}

function setupIncident() {
  const btn = document.getElementById("split-submit");
  if (!btn) return;
  btn.addEventListener("click", async () => {
    const form = document.getElementById("split-form");
    const ids = [...form.querySelectorAll(".split-pick:checked")].map(el => Number(el.value));
    if (!ids.length) return;
    const out = await post(`/api/incidents/${form.dataset.incident}/split`, {event_ids: ids});
    if (out) location.href = "/incidents";
  });
}

function setupMerge() {
  const btn = document.getElementById("merge-submit");
  if (!btn) return;
  btn.addEventListener("click", async () => {
    const ids = [...document.querySelectorAll(".merge-pick:checked")].map(el => Number(el.value));
    if (ids.length < 2) { alert("Tick at least two incidents."); return; }
    const out = await post("/api/incidents/merge", {incident_ids: ids});
    if (out) location.reload();
  });
}

function setupWatchlists() {
  const btn = document.getElementById("w-save");
  if (!btn) return;
  btn.addEventListener("click", async () => {
    const filters = {};
    for (const k of ["query", "type", "place", "commodity"]) {
      const v = document.getElementById("w-" + k).value.trim();
      if (v) filters[k] = v;
    }
    const out = await post("/api/watchlists", {name: document.getElementById("w-name").value, filters});
    if (out) location.reload();
  });
}

document.addEventListener("DOMContentLoaded", () => { setupReader(); setupIncident(); setupMerge(); setupWatchlists(); });
