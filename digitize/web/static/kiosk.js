// The rating screen turned towards the citizen (/danh-gia). It asks the server every 2 s which dossier the officer
// has open (GET /api/kiosk: its code and procedure, nothing of the citizen), and the counter's page in the same
// browser says "look now" on a BroadcastChannel after each change, so a second monitor follows at once and a
// tablet within 2 s. The citizen picks a face, may rate the aspects, write a comment and mark it as a complaint,
// and sends once (POST /api/dossiers/{id}/rating); a thank-you, then back to waiting. No browser dialog, ever.
"use strict";

const POLL_MS = 2000;
const THANKS_MS = 6000;
const IDLE_MS = 120000;  // a form left half-filled is cleared: the next citizen must not find someone's words
const LEVELS = [
  {score: 1, label: "Rất không hài lòng"},
  {score: 2, label: "Không hài lòng"},
  {score: 3, label: "Bình thường"},
  {score: 4, label: "Hài lòng"},
  {score: 5, label: "Rất hài lòng"},
];
const ASPECTS = [
  {key: "guidance", label: "Hướng dẫn"},
  {key: "attitude", label: "Thái độ của công chức"},
  {key: "time", label: "Thời gian giải quyết"},
  {key: "result", label: "Kết quả"},
];
const FILL = ["", "#e53935", "#fb8c00", "#fdd835", "#9ccc65", "#43a047"];
const K = {dossier: null, moment: null, score: null, aspects: {}, sending: false, thanksUntil: 0, idle: null};

// A face for a level: a frown at 1, a straight mouth at 3, a broad smile at 5.
function face(score) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("aria-hidden", "true");
  const ends = [0, 74, 71, 67, 62, 60][score], middle = [0, 50, 60, 67, 76, 90][score];
  const shapes = [
    ["circle", {cx: 50, cy: 50, r: 46, fill: FILL[score], stroke: "#1d2430", "stroke-width": 3}],
    ["circle", {cx: 35, cy: 40, r: 6, fill: "#1d2430"}],
    ["circle", {cx: 65, cy: 40, r: 6, fill: "#1d2430"}],
    ["path", {d: `M28 ${ends} Q50 ${middle} 72 ${ends}`, fill: "none", stroke: "#1d2430", "stroke-width": 6,
              "stroke-linecap": "round"}],
  ];
  for (const [tag, attrs] of shapes) {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    svg.append(node);
  }
  return svg;
}

function drawFaces() {
  $("#k-faces").replaceChildren(...LEVELS.map((l) => el("button", {type: "button", class: `k-face lv${l.score}`,
    "data-score": l.score, "aria-pressed": "false", onclick: () => choose(l.score)}, face(l.score), l.label)));
  $("#k-aspect-rows").replaceChildren(...ASPECTS.map((a) => el("div", {class: "k-aspect", role: "group",
    "aria-label": a.label, "data-aspect": a.key},
    el("span", {class: "k-aspect-name", text: a.label}),
    LEVELS.map((l) => el("button", {type: "button", class: `k-level lv${l.score}`, "data-score": l.score,
      "aria-pressed": "false", "aria-label": `${a.label}: ${l.label}`, title: l.label,
      onclick: () => rateAspect(a.key, l.score)}, face(l.score), String(l.score))))));
}

function choose(score) {
  K.score = score;
  for (const b of $$("#k-faces .k-face")) b.setAttribute("aria-pressed", String(Number(b.dataset.score) === score));
  $("#k-rating").classList.add("chosen");
  $("#k-more").hidden = false;
  $("#k-hint").hidden = true;
  touched();
}

// A second tap on the chosen level takes the aspect's rating back (each aspect is optional).
function rateAspect(key, score) {
  K.aspects[key] = K.aspects[key] === score ? null : score;
  for (const b of $$(`[data-aspect="${key}"] .k-level`)) {
    b.setAttribute("aria-pressed", String(Number(b.dataset.score) === K.aspects[key]));
  }
  touched();
}

function resetForm() {
  K.score = null;
  K.aspects = {};
  for (const b of $$("#k-rating [aria-pressed]")) b.setAttribute("aria-pressed", "false");
  $("#k-rating").classList.remove("chosen");
  $("#k-more").hidden = true;
  $("#k-hint").hidden = false;
  $("#k-comment").value = "";
  $("#k-complaint").checked = false;
  $("#k-error").textContent = "";
  clearTimeout(K.idle);
}

function touched() {
  clearTimeout(K.idle);
  K.idle = setTimeout(resetForm, IDLE_MS);
}

function show(screen) {
  for (const id of ["k-waiting", "k-rating", "k-thanks"]) $("#" + id).hidden = id !== screen;
}

// What the server says the counter has open; the thank-you stays its few seconds whatever it says.
function apply(view) {
  if (Date.now() < K.thanksUntil) return;
  const d = view.dossier && !view.rated ? view.dossier : null;
  if (!d) {
    if (K.dossier) resetForm();
    K.dossier = null;
    show("k-waiting");
    return;
  }
  if (!K.dossier || K.dossier.id !== d.id) resetForm();  // another citizen's dossier: a clean form
  K.dossier = d;
  K.moment = view.moment;
  $("#k-code").textContent = d.code || "";
  $("#k-proc").textContent = d.procedure_name || "";
  $("#k-invite").hidden = !view.invited;
  show("k-rating");
}

async function poll() {
  try {
    apply(await ask("GET", "/api/kiosk"));
    $("#k-offline").hidden = true;
  } catch (err) {
    $("#k-offline").hidden = err.status !== 0 && err.status < 500;  // the network or the server: shown, retried
  }
}

async function send() {
  if (K.sending || !K.score || !K.dossier) return;  // a second tap while the first is on its way sends nothing
  const comment = $("#k-comment").value.trim();
  const complaint = $("#k-complaint").checked;
  if (complaint && !comment) {
    $("#k-error").textContent = "Xin ghi nội dung phản ánh, kiến nghị vào ô ý kiến.";
    $("#k-comment").focus();
    return;
  }
  K.sending = true;
  $("#k-send").disabled = true;
  const aspects = Object.fromEntries(Object.entries(K.aspects).filter(([, v]) => v));
  try {
    await ask("POST", `/api/dossiers/${K.dossier.id}/rating`,
              {score: K.score, aspects, comment: comment || null, complaint, moment: K.moment});
    thanks(complaint);
  } catch (err) {
    if (err.body && err.body.error === "already_rated") thanks(false);  // rated meanwhile: that one counts
    else $("#k-error").textContent = err.message || "Chưa gửi được, xin ông/bà thử lại.";
  } finally {
    K.sending = false;
    $("#k-send").disabled = false;
  }
}

function thanks(complaint) {
  K.thanksUntil = Date.now() + THANKS_MS;
  $("#k-thanks-text").textContent = complaint
    ? "Phản ánh, kiến nghị của ông/bà đã được chuyển tới lãnh đạo đơn vị để trả lời."
    : "Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn.";
  resetForm();
  show("k-thanks");
  setTimeout(() => { K.thanksUntil = 0; poll(); }, THANKS_MS);
}

function fullScreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else document.documentElement.requestFullscreen().catch(() => {});
}

// The API, a network failure included (fetch throws a TypeError): an ApiError with status 0, as sendForm's.
async function ask(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (err) {
    throw err instanceof ApiError ? err : new ApiError(0, {reason_vi: "Mất kết nối tới máy chủ, xin thử lại."});
  }
}

document.addEventListener("DOMContentLoaded", () => {
  drawFaces();
  $("#k-send").onclick = send;
  $("#k-full").onclick = fullScreen;
  $("#k-comment").addEventListener("input", () => { $("#k-error").textContent = ""; touched(); });
  $("#k-complaint").addEventListener("change", () => { $("#k-error").textContent = ""; touched(); });
  if ("BroadcastChannel" in window) new BroadcastChannel("digitize-kiosk").onmessage = poll;
  poll();
  setInterval(poll, POLL_MS);
});
