// Shared helpers of the pages: DOM shortcuts, the JSON API with Vietnamese errors, a status toast.
"use strict";
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body.reason_vi || body.reason || "Lỗi " + status);
    this.status = status;
    this.body = body;
  }
}

// Calls the API; a refusal becomes an ApiError whose message is the Vietnamese reason. 401 sends to the login.
// `opts.signal` (an AbortController's) lets a page drop a request a newer one made stale.
async function api(method, path, body, opts = {}) {
  const init = {method, headers: {}, credentials: "same-origin", signal: opts.signal};
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  return answered(path, res.status, res.headers.get("content-type") || "", await res.text(), opts);
}

// What api() and sendForm() give for an answer: its body, or an ApiError for a refusal (unless `opts.accept`
// names its status); 401 sends to the login.
function answered(path, status, type, text, opts) {
  const data = type.includes("json") ? JSON.parse(text) : text;
  if ((status >= 200 && status < 300) || (opts.accept || []).includes(status)) return data;
  if (status === 401 && !path.includes("login")) {
    location.href = "/dang-nhap?next=" + encodeURIComponent(location.pathname);
  }
  throw new ApiError(status, typeof data === "object" ? data : {reason_vi: data});
}

// A form sent with its upload's progress told to `onProgress(sent, total)` (fetch tells none): the same answers and
// refusals as api().
function sendForm(path, form, onProgress, opts = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onerror = () => reject(new ApiError(0, {reason_vi: "Mất kết nối tới máy chủ khi đang tải tệp lên."}));
    xhr.onload = () => {
      try {
        resolve(answered(path, xhr.status, xhr.getResponseHeader("content-type") || "", xhr.responseText, opts));
      } catch (err) {
        reject(err);
      }
    };
    xhr.send(form);
  });
}

function megabytes(bytes) {
  return (bytes / 1048576).toLocaleString("vi-VN", {maximumFractionDigits: 1}) + " MB";
}

let toastTimer = null;
function toast(message, kind = "info") {
  const t = $("#toast");
  t.textContent = message;
  t.className = "show " + kind;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.className = ""), kind === "error" ? 8000 : 4000);
}

// A date, or a moment, as shown in Vietnam: dd/mm/yyyy, and hh:mm in Asia/Ho_Chi_Minh whatever the PC's zone.
const VN_TIME = {timeZone: "Asia/Ho_Chi_Minh"};
function fmtDate(iso) {
  if (!iso) return "";
  if (iso.length === 10) return fieldText(iso);  // a calendar date: no zone to convert
  // Moments are stored in UTC: one sent without its offset is UTC, not the browser's local time.
  const d = new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : iso + "Z");
  const day = d.toLocaleDateString("vi-VN", {...VN_TIME, day: "2-digit", month: "2-digit", year: "numeric"});
  return day + " " + d.toLocaleTimeString("vi-VN", {...VN_TIME, hour: "2-digit", minute: "2-digit"});
}

// A field's value as a person reads it: a date (YYYY-MM-DD) as dd/mm/yyyy, anything else as it is.
function fieldText(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

// A date as a person in Vietnam types it (dd/mm/yyyy; d/m/yyyy, dots or dashes too) as YYYY-MM-DD for the API;
// "" when it is not a real date. Date fields are text fields: a browser's own date field shows the PC's format
// (mm/dd/yyyy on an English Windows), not the one the counter reads.
function isoDate(text) {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text || "");
  if (!m) return "";
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return "";
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// Today's date in Vietnam (YYYY-MM-DD), whatever zone the PC's clock is set to.
function todayIso() {
  const parts = new Intl.DateTimeFormat("en-GB", {...VN_TIME, year: "numeric", month: "2-digit", day: "2-digit"})
    .formatToParts(new Date());
  const part = (type) => parts.find((x) => x.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

// Text as compared in a search: without tone marks, đ as d, lower case, so "chung thuc" finds "chứng thực".
function plain(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase();
}

const WEEKDAY_VI = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
// A calendar date (YYYY-MM-DD) as "Thứ Hai, ngày 23/11/2026", read as a local date, not as UTC midnight.
function fmtDay(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const day = new Date(y, m - 1, d);
  return `${WEEKDAY_VI[day.getDay()]}, ngày ${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
}

function pct(x) {
  return x === null || x === undefined ? "–" : (x * 100).toLocaleString("vi-VN", {maximumFractionDigits: 1}) + " %";
}

const WARNINGS_VI = {
  dpi_below_200: "Dưới 200 dpi",
  dpi_below_150: "Dưới 150 dpi",
  dpi_unknown: "Không rõ dpi",
  blurred: "Bị mờ",
  cut_off: "Bị cắt mép",
  orientation_uncertain: "Không chắc chiều trang",
  split_from_a3: "Tách từ A3",
  little_text: "Ít chữ",
  page_unreadable: "Không đọc được",
  blank: "Trang trắng",
};
const RESCAN = new Set(["dpi_below_200", "dpi_below_150", "blurred", "cut_off", "page_unreadable", "little_text"]);

document.addEventListener("DOMContentLoaded", () => {
  const out = $("#logout");
  if (out) out.onclick = async () => {
    try { await api("POST", "/api/logout"); } catch (e) { /* already out */ }
    location.href = "/dang-nhap";
  };
});

// The page viewer of the counter and the review screens: pages full size in a modal <dialog>; zoom with the
// buttons or + / − / 0, the previous and next page with the arrows, Esc closes and the focus goes back to what
// opened it. `pages`: [{src, label}], `start`: the place of the page to show first; `opener`: the element to focus
// after, or a function finding it (a live page may have drawn its list again meanwhile).
const VIEWER = {pages: [], at: 0, zoom: 1, opener: null, actions: []};
const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4];

function viewerDialog() {
  let dlg = $("#page-viewer");
  if (dlg) return dlg;
  const btn = (id, text, label, onclick) => el("button", {type: "button", id, text, "aria-label": label, title: label, onclick});
  dlg = el("dialog", {id: "page-viewer", class: "page-viewer", "aria-labelledby": "pv-title"},
    el("div", {class: "pv-bar"},
      el("h2", {id: "pv-title"}),
      btn("pv-prev", "◀", "Trang trước (←)", () => showViewerPage(VIEWER.at - 1)),
      btn("pv-next", "▶", "Trang sau (→)", () => showViewerPage(VIEWER.at + 1)),
      btn("pv-out", "−", "Thu nhỏ (−)", () => zoomViewer(-1)),
      el("output", {id: "pv-zoom", "aria-live": "polite"}),
      btn("pv-in", "+", "Phóng to (+)", () => zoomViewer(1)),
      btn("pv-fit", "Vừa khung", "Vừa khung (0)", () => zoomViewer(0)),
      el("span", {id: "pv-actions", class: "pv-actions"}),
      btn("pv-close", "Đóng (Esc)", "Đóng trình xem trang", () => dlg.close())),
    el("div", {class: "pv-stage", tabindex: "0", "aria-label": "Ảnh trang"}, el("img", {id: "pv-img", alt: ""})));
  dlg.addEventListener("keydown", (e) => {
    if (e.target.closest("button") && (e.key === "Enter" || e.key === " ")) return;
    const act = {ArrowLeft: () => showViewerPage(VIEWER.at - 1), ArrowRight: () => showViewerPage(VIEWER.at + 1),
                 PageUp: () => showViewerPage(VIEWER.at - 1), PageDown: () => showViewerPage(VIEWER.at + 1),
                 "+": () => zoomViewer(1), "=": () => zoomViewer(1), "-": () => zoomViewer(-1), "0": () => zoomViewer(0)}[e.key];
    if (act) { e.preventDefault(); act(); }
  });
  dlg.addEventListener("close", () => {
    const back = typeof VIEWER.opener === "function" ? VIEWER.opener() : VIEWER.opener;
    if (back && back.isConnected) back.focus();
  });
  document.body.append(dlg);
  return dlg;
}

// `actions`: a page's own buttons, [{text, label, run(at)}] (the counter turns the page shown).
function openViewer(pages, start = 0, opener = document.activeElement, actions = []) {
  if (!pages.length) return;
  const dlg = viewerDialog();
  Object.assign(VIEWER, {pages, opener, zoom: 1, actions});
  $("#pv-actions").replaceChildren(...actions.map((a) => el("button", {type: "button", text: a.text,
    "aria-label": a.label, title: a.label, onclick: () => a.run(VIEWER.at)})));
  showViewerPage(start);
  dlg.showModal();
  $(".pv-stage", dlg).focus();
}

function showViewerPage(at) {
  if (at < 0 || at >= VIEWER.pages.length) return;
  VIEWER.at = at;
  const p = VIEWER.pages[at];
  $("#pv-img").src = p.src;
  $("#pv-img").alt = p.label;
  $("#pv-title").textContent = `${p.label} · ${at + 1}/${VIEWER.pages.length}`;
  $("#pv-prev").disabled = at === 0;
  $("#pv-next").disabled = at === VIEWER.pages.length - 1;
  zoomViewer(null);
}

// The pages again, from a live page (a page turned and read again has a new image): the one shown is kept.
function refreshViewer(pages) {
  const dlg = $("#page-viewer");
  if (!dlg || !dlg.open || pages.length !== VIEWER.pages.length) return;
  VIEWER.pages = pages;
  if ($("#pv-img").getAttribute("src") !== pages[VIEWER.at].src) showViewerPage(VIEWER.at);
}

// step: +1 / −1 a zoom level, 0 back to the page fitting the window, null keeps the level. 100 %: the page's
// height is the window's.
function zoomViewer(step) {
  const k = ZOOMS.indexOf(VIEWER.zoom);
  if (step === 0) VIEWER.zoom = 1;
  else if (step) VIEWER.zoom = ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, k + step))];
  $("#pv-img").style.height = `${VIEWER.zoom * 100}%`;
  $("#pv-zoom").textContent = `${Math.round(VIEWER.zoom * 100)}%`;
}

// A question answered in the page (a modal <dialog>, not the browser's confirm()); resolves true for `yes`. The
// safe answer has the focus, so an Enter pressed by habit does not say yes.
function askInPage(message, yes, no = "Huỷ") {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dlg = el("dialog", {class: "ask", role: "alertdialog", "aria-labelledby": "ask-text"},
      el("p", {id: "ask-text", text: message}),
      el("div", {class: "decide"},
        el("button", {type: "button", class: "primary", "data-answer": "yes", text: yes,
                      onclick: () => { dlg.returnValue = "yes"; dlg.close(); }}),
        el("button", {type: "button", "data-answer": "no", text: no, onclick: () => dlg.close()})));
    dlg.addEventListener("close", () => {
      dlg.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(dlg.returnValue === "yes");
    });
    document.body.append(dlg);
    dlg.showModal();
    $("[data-answer=no]", dlg).focus();
  });
}
