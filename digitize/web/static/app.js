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
async function api(method, path, body, opts = {}) {
  const init = {method, headers: {}, credentials: "same-origin"};
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
