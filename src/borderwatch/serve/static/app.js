// borderwatch workbench: hover details in the report reader, review actions, selections.
// Plain DOM code, no library; report text is only ever inserted with textContent.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

function say(message, where) {
  // Messages go to a live region (role=status): the status line of base.html, or the message
  // line of the form the message is about. Screen readers read it out, nothing blocks the
  // page, and no modal alert box is used anywhere in the workbench.
  const box = where || document.getElementById("status");
  if (!box) return;
  box.textContent = message;
  box.classList.add("shown");
  box.scrollIntoView({block: "nearest"});
}

function problem(detail) {
  // FastAPI says what was wrong as a string, or as a list of {loc, msg} for a malformed body.
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map(d => (d.loc ? d.loc.filter(x => x !== "body").join(" ") + ": " : "") + d.msg).join("; ");
  }
  return JSON.stringify(detail);
}

async function post(url, body, method = "POST", where = undefined) {
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (e) {
    say("Not saved: the server did not answer.", where);
    return null;
  }
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail; } catch (e) { /* plain error */ }
    say("Not saved: " + problem(detail), where);
    return null;
  }
  return res.json();
}

function reloadWith(message, focus, href) {
  // After a change the page is loaded again; the message and where the keyboard focus goes
  // survive that (sessionStorage), so focus returns to the control the analyst used.
  sessionStorage.setItem("bw-flash", JSON.stringify({message, focus: focus || null}));
  if (href) location.href = href; else location.reload();
}

function showFlash() {
  const raw = sessionStorage.getItem("bw-flash");
  if (!raw) return;
  sessionStorage.removeItem("bw-flash");
  let flash;
  try { flash = JSON.parse(raw); } catch (e) { return; }
  if (flash.message) say(flash.message);
  const target = flash.focus && document.querySelector(flash.focus);
  if (target) { target.focus(); target.scrollIntoView({block: "center"}); }
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
    copy.querySelectorAll(".actions, form, .last-change").forEach(el => el.remove());
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

function initialValues(form) {
  // What each control held when the page came: only what the analyst changed is sent.
  form.querySelectorAll("input, select").forEach(el => { el.dataset.initial = el.value; });
}

function changed(el) {
  return el.value.trim() !== (el.dataset.initial || "").trim();
}

function listOf(value) {
  return value.split(";").map(s => s.trim()).filter(Boolean);
}

function formMessage(form) {
  // Each form has its own message line (a live region) next to its buttons.
  let box = form.querySelector(".form-msg");
  if (!box) {
    box = document.createElement("p");
    box.className = "form-msg";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    form.appendChild(box);
  }
  return box;
}

function setupForm(opener, form, submit) {
  // A form opened by a button: the button says whether it is open (aria-expanded), focus moves
  // to the first field, Enter saves (also from a drop-down), Escape closes and focus returns
  // to the button.
  initialValues(form);
  const box = formMessage(form);
  const close = () => {
    form.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    box.textContent = "";
    opener.focus();
  };
  opener.addEventListener("click", () => {
    const opening = form.hidden;
    form.hidden = !opening;
    opener.setAttribute("aria-expanded", String(opening));
    if (opening) {
      const first = form.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
  });
  form.addEventListener("keydown", ev => {
    if (ev.key === "Escape") { ev.preventDefault(); close(); }
    else if (ev.key === "Enter" && ev.target.tagName === "SELECT") { ev.preventDefault(); form.requestSubmit(); }
  });
  const cancel = form.querySelector(".act-cancel");
  if (cancel) cancel.addEventListener("click", close);
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    try { await submit(box); } finally { if (button) button.disabled = false; }
  });
}

function correctionBody(form) {
  // The event's changed fields, and each amount whose number, currency or unit changed.
  const body = {};
  form.querySelectorAll(":scope > .field > [name]").forEach(el => {
    if (!changed(el)) return;
    const v = el.value.trim();
    body[el.name] = el.dataset.list ? listOf(v) : (v || null);
  });
  const amounts = [];
  form.querySelectorAll("fieldset.amount-fix").forEach(set => {
    const fields = [...set.querySelectorAll("[name]")];
    if (!fields.some(changed)) return;
    const a = {id: Number(set.dataset.amount)};
    for (const el of fields) {
      const v = el.value.trim();
      a[el.name] = el.type === "number" ? (v === "" ? null : Number(v)) : (v || null);
    }
    amounts.push(a);
  });
  if (amounts.length) body.amounts = amounts;
  return body;
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
  const pick = () => {
    const sel = window.getSelection();
    const box = document.getElementById("add-event");
    if (!box || !sel || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const start = textOffset(text, range.startContainer, range.startOffset);
    const end = textOffset(text, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    selection = {start, end};
    document.getElementById("add-selection").textContent = "“" + sel.toString() + "” (" + start + "–" + end + ")";
    box.classList.remove("hidden");
  };
  text.addEventListener("mouseup", pick);
  text.addEventListener("keyup", ev => { if (ev.shiftKey) pick(); });
  const add = document.getElementById("add-event");
  if (add) add.addEventListener("submit", async ev => {
    ev.preventDefault();
    if (!selection) return;
    const out = await post(`/api/reports/${reportId}/events`, {
      start: selection.start, end: selection.end, type: document.getElementById("add-type").value,
      places: listOf(document.getElementById("add-places").value),
      commodities: listOf(document.getElementById("add-goods").value)}, "POST", formMessage(add));
    if (out) reloadWith(`Added event ${out.id}.`, `#fact-event-${out.id} .act-open`);
  });
  document.querySelectorAll(".act-accept, .act-reject").forEach(btn => btn.addEventListener("click", async () => {
    const action = btn.classList.contains("act-accept") ? "accept" : "reject";
    const out = await post(`/api/facts/${btn.dataset.table}/${btn.dataset.id}/review`, {action});
    const what = btn.getAttribute("aria-label") || action;
    const done = action === "accept" ? "Accepted" : "Rejected";
    if (out) reloadWith(`${done}: ${what.replace(/^(Accept|Reject) /, "")}. The History can undo it.`,
                        `.act-${action}[data-table="${btn.dataset.table}"][data-id="${btn.dataset.id}"]`);
  }));
  document.querySelectorAll("form.correct-form").forEach(form => {
    const opener = document.querySelector(`[aria-controls="${form.id}"]`);
    setupForm(opener, form, async box => {
      const body = correctionBody(form);
      if (!Object.keys(body).length) { say("Nothing to save: change a field first.", box); return; }
      const out = await post(form.dataset.url, body, "POST", box);
      if (out) reloadWith(`Saved the correction of event ${form.dataset.event}.`,
                          `[aria-controls="${form.id}"]`);
    });
  });
  const details = document.getElementById("details-form");
  if (details) setupForm(document.getElementById("edit-details"), details, async box => {
    const body = {};
    details.querySelectorAll("[name]").forEach(el => { if (changed(el)) body[el.name] = el.value.trim(); });
    if (!Object.keys(body).length) { say("Nothing to save: change a field first.", box); return; }
    const out = await post(details.dataset.url, body, "POST", box);
    if (out) reloadWith("Saved the report's details.", "#edit-details");
  });
  if (location.hash.startsWith("#event-")) {
    const key = location.hash.slice(1);
    const mark = text.querySelector(`[data-facts~="${CSS.escape(key)}"]`);
    if (mark) { mark.classList.add("target"); showFacts(mark.dataset.facts.split(" ")); }
  }
}

function setupUndo() {
  // Undo buttons of a History (the reader's, an incident's): the change goes back exactly;
  // a later change to the same fact is undone first (the server says which).
  document.querySelectorAll(".act-undo").forEach(btn => btn.addEventListener("click", async () => {
    const id = btn.dataset.review;
    const out = await post(`/api/reviews/${id}/undo`, undefined);
    if (!out) return;
    const message = `Undid review ${id} (${out.action}).`;
    const incident = document.getElementById("split-form");
    if (incident) {  // the incident may be gone once its events are grouped as before
      const still = await fetch(`/api/incidents/${incident.dataset.incident}`, {credentials: "same-origin"});
      if (!still.ok) { reloadWith(message + " Its events are grouped as before.", "#main", "/incidents"); return; }
    }
    reloadWith(message, "#history-heading");
  }));
}

function setupIncident() {
  const form = document.getElementById("split-form");
  if (!form || !document.getElementById("split-submit")) return;
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const ids = [...form.querySelectorAll(".split-pick:checked")].map(el => Number(el.value));
    if (!ids.length) { say("Tick the events to split off first."); return; }
    const out = await post(`/api/incidents/${form.dataset.incident}/split`, {event_ids: ids});
    if (out) reloadWith("Split: the ticked events are an incident of their own. Its History can undo it.", "#main", "/incidents");
  });
}

function setupMerge() {
  const btn = document.getElementById("merge-submit");
  if (!btn) return;
  btn.addEventListener("click", async () => {
    const ids = [...document.querySelectorAll(".merge-pick:checked")].map(el => Number(el.value));
    if (ids.length < 2) { say("Tick at least two incidents."); return; }
    const out = await post("/api/incidents/merge", {incident_ids: ids});
    if (out) reloadWith("Merged the ticked incidents into one; its page's History can undo it.", "#merge-submit");
  });
}

// The timeline on a narrow screen scrolls sideways in its own box: open it on the newest periods.
function setupTimeline() {
  const box = document.getElementById("timeline-chart");
  if (box && box.scrollWidth > box.clientWidth) box.scrollLeft = box.scrollWidth;
}

document.addEventListener("DOMContentLoaded", () => {
  setupReader(); setupIncident(); setupMerge(); setupUndo(); showFlash(); setupTimeline();
});
