// The agency's dossiers (/quay/ho-so): filtered by procedure, state, days of receipt, overdue and officer; with words
// typed, found by /api/search and grouped by dossier. The filters are the address's query (dates dd/mm/yyyy as
// typed), so a reload or a shared link shows the same list; each row opens its dossier.
"use strict";

const ROWS = 25;  // dossiers on a page of the plain list
const HITS = 50;  // hits on a page of a search (the API's most), grouped by dossier
// The form's fields by their names in the address.
const IN_URL = {q: "#l-q", "thu-tuc": "#l-proc", "trang-thai": "#l-status", tu: "#l-from", den: "#l-to",
                "can-bo": "#l-officer"};
const L = {procedures: {}, page: 1, seq: 0, ctrl: null};

// --- the filters and the address -----------------------------------------------------------------------------

function fillForm(q) {
  const proc = q.get("thu-tuc");
  if (proc && !$(`#l-proc option[value="${CSS.escape(proc)}"]`)) $("#l-proc").append(el("option", {value: proc, text: proc}));
  for (const [name, sel] of Object.entries(IN_URL)) $(sel).value = q.get(name) || "";
  $("#l-overdue").checked = q.get("qua-han") === "1";
  L.page = Math.max(1, Number(q.get("trang")) || 1);
}

function formQuery() {
  const q = new URLSearchParams();
  for (const [name, sel] of Object.entries(IN_URL)) {
    const v = $(sel).value.trim();
    if (v) q.set(name, v);
  }
  if ($("#l-overdue").checked) q.set("qua-han", "1");
  return q;
}

// What is wrong with the dates typed, in a sentence; "" when nothing is.
function datesProblem(q) {
  for (const k of ["tu", "den"]) {
    if (q.get(k) && !isoDate(q.get(k))) return `Ngày «${q.get(k)}» không đúng dạng ngày/tháng/năm, ví dụ 08/11/2026.`;
  }
  if (q.get("tu") && q.get("den") && isoDate(q.get("tu")) > isoDate(q.get("den"))) {
    return "Từ ngày phải trước hoặc bằng đến ngày.";
  }
  return "";
}

// The address's query as the API's filters (GET /api/dossiers and /api/search share them).
function apiQuery(q) {
  const out = new URLSearchParams();
  const pairs = {procedure: q.get("thu-tuc"), status: q.get("trang-thai"), from: isoDate(q.get("tu")),
                 to: isoDate(q.get("den")), officer: q.get("can-bo")};
  for (const [k, v] of Object.entries(pairs)) if (v) out.set(k, v);
  if (q.get("qua-han") === "1") out.set("overdue", "true");
  return out;
}

function go(q) {
  const query = q.toString();
  history.pushState(null, "", location.pathname + (query ? "?" + query : ""));
  load();
}

// --- loading -------------------------------------------------------------------------------------------------

async function load() {
  const q = new URLSearchParams(location.search);
  fillForm(q);
  const problem = datesProblem(q);
  $("#l-error").textContent = problem;
  if (problem) { show({head: [], rows: [], more: false, count: ""}); return; }
  if (L.ctrl) L.ctrl.abort();
  const seq = ++L.seq;
  L.ctrl = new AbortController();
  $("#l-count").textContent = "Đang tải…";
  try {
    const words = (q.get("q") || "").trim();
    const page = words ? await searched(words, q, L.ctrl.signal) : await listed(q, L.ctrl.signal);
    if (seq === L.seq) show(page);
  } catch (err) {
    if (err.name === "AbortError" || seq !== L.seq) return;
    $("#l-error").textContent = err.message;
    show({head: [], rows: [], more: false, count: ""});
  }
}

async function listed(q, signal) {
  const params = apiQuery(q);
  params.set("limit", ROWS + 1);  // one more than shown: is there a next page?
  params.set("offset", (L.page - 1) * ROWS);
  const rows = await api("GET", "/api/dossiers?" + params, undefined, {signal});
  const first = (L.page - 1) * ROWS + 1;
  const shown = rows.slice(0, ROWS);
  return {head: ["Mã hồ sơ", "Thủ tục", "Số định danh", "Tiếp nhận", "Hẹn trả", "Tình trạng", "Cán bộ tiếp nhận"],
          rows: shown.map(listRow), more: rows.length > ROWS,
          count: shown.length ? `Hồ sơ ${first}–${first + shown.length - 1}, mới tiếp nhận trước.`
            : "Không có hồ sơ nào khớp bộ lọc."};
}

async function searched(words, q, signal) {
  const params = apiQuery(q);
  for (const [k, v] of Object.entries({q: words, page: L.page, per_page: HITS})) params.set(k, v);
  const found = await api("GET", "/api/search?" + params, undefined, {signal});
  const groups = new Map();  // dossier id → its hits, in the order of the best
  for (const h of found.hits) groups.set(h.dossier_id, [...(groups.get(h.dossier_id) || []), h]);
  const more = L.page * HITS < Math.min(found.total, 2000);
  return {head: ["Mã hồ sơ", "Thủ tục", "Tiếp nhận", "Hẹn trả", "Tình trạng", "Tìm thấy ở"],
          rows: [...groups.values()].map(groupRow), more,
          count: !found.total ? `Không tìm thấy «${words}» trong hồ sơ nào khớp bộ lọc.`
            : `${found.total} mục khớp «${words}»; trang này: ${groups.size} hồ sơ.` +
              (found.more ? " Quá nhiều kết quả: chỉ xếp hạng 2000 mục mới nhất, hãy gõ thêm từ hoặc lọc." : "")};
}

// --- the table -----------------------------------------------------------------------------------------------

function show({head, rows, more, count}) {
  $("#l-count").textContent = count;
  $("#l-table thead").replaceChildren(...(head.length ? [el("tr", {}, head.map((h) => el("th", {scope: "col", text: h})))] : []));
  $("#l-table tbody").replaceChildren(...rows);
  $("#l-page").textContent = rows.length || L.page > 1 ? `Trang ${L.page}` : "";
  $("#l-prev").disabled = L.page <= 1;
  $("#l-next").disabled = !more;
}

function dossierHref(id) { return staffHref({dossier_id: id, document_id: null, page_index: null}); }

// A click anywhere on a row opens its dossier, as its code's link does (not when a link or selected text was hit).
function rowOpens(tr, href) {
  tr.addEventListener("click", (e) => {
    if (e.target.closest("a") || String(getSelection())) return;
    location.assign(href);
  });
  return tr;
}

function procCell(code, name) {
  if (!code) return el("td", {class: "muted", text: "Không theo thủ tục"});
  return el("td", {}, el("span", {text: name || L.procedures[code] || code}), " ",
    el("span", {class: "muted small", text: code}));
}

// The dossier's state as the counter reads it: a refusal or a supplement first, then returned, overdue, reading.
function rowState(d) {
  const due = d.new_due_date || d.due_date;
  if (d.outcome === "refused") return [STAGE_VI.refused, "bad"];
  if (d.outcome === "supplement") return [STAGE_VI.supplement, "warn"];
  if (d.returned) return [STAGE_VI.returned, "ok"];
  if (due && due < todayIso()) return ["Quá hạn", "bad"];
  if (d.status === "failed" || d.status === "processing") return [STAGE_VI[d.status], d.status === "failed" ? "bad" : ""];
  return due ? [STAGE_VI.awaiting_result, ""] : [STAGE_VI[d.status] || d.status, ""];
}

function listRow(d) {
  const href = dossierHref(d.id);
  const due = d.new_due_date || d.due_date;
  const [state, cls] = rowState(d);
  return rowOpens(el("tr", {},
    el("td", {class: "code"}, el("a", {href, text: d.code})),
    procCell(d.procedure),
    el("td", {class: "nowrap", text: d.citizen_id || "–"}),
    el("td", {class: "nowrap", text: fmtDate(d.created_at)}),
    el("td", {class: "nowrap", text: due ? fmtDate(due) + (d.new_due_date ? " (hẹn lại)" : "") : "–"}),
    el("td", {}, el("span", {class: "badge " + cls, text: state})),
    el("td", {text: d.created_by || ""})), href);
}

// A dossier found by the words: its row, and under "Tìm thấy ở" each place found with the words marked.
function groupRow(hits) {
  const d = hits[0];
  const href = dossierHref(d.dossier_id);
  return rowOpens(el("tr", {},
    el("td", {class: "code"}, el("a", {href, text: d.dossier_code})),
    procCell(d.procedure, d.procedure_name),
    el("td", {class: "nowrap", text: fmtDate(d.received_at)}),
    el("td", {class: "nowrap", text: d.due_date ? fmtDate(d.due_date) : "–"}),
    el("td", {}, el("span", {class: "badge", text: STAGE_VI[d.status] || d.status})),
    el("td", {class: "found"}, el("ul", {class: "plain found-list"}, hits.map((h) => el("li", {},
      el("a", {href: staffHref(h), class: "found-place", text: foundPlace(h)}), " ", snippetNode(h.snippet)))))), href);
}

function foundPlace(h) {
  if (h.kind === "dossier") return "Thông tin hồ sơ:";
  const page = h.page_index === null ? "" : `, trang ${h.page_index + 1}`;
  return `${h.document_name || "Trang chưa thuộc giấy tờ nào"}${page}${h.reused ? " (dùng lại)" : ""}:`;
}

// --- wiring --------------------------------------------------------------------------------------------------

async function fillChoices() {
  const procedures = await api("GET", "/api/procedures");
  L.procedures = Object.fromEntries(procedures.map((p) => [p.code, p.name]));
  $("#l-proc").append(...procedures.map((p) => el("option", {value: p.code, text: `${p.name} (${p.code})`})));
  $("#l-status").append(...Object.entries(STAGE_VI).map(([k, v]) => el("option", {value: k, text: v})));
  // The officers who received the agency's recent dossiers: a choice, any other name may still be typed.
  api("GET", "/api/dossiers?limit=200").then((rows) => {
    const names = [...new Set(rows.map((d) => d.created_by).filter(Boolean))].sort();
    $("#l-officers").replaceChildren(...names.map((n) => el("option", {value: n})));
  }).catch(() => { /* a convenience */ });
}

document.addEventListener("DOMContentLoaded", async () => {
  wireSearch({scanner: true});
  $("#list-filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = formQuery();
    const problem = datesProblem(q);
    if (problem) { $("#l-error").textContent = problem; return; }
    go(q);
  });
  for (const sel of ["#l-proc", "#l-status", "#l-overdue"]) {
    $(sel).addEventListener("change", () => $("#list-filters").requestSubmit());
  }
  $("#l-clear").onclick = () => go(new URLSearchParams());
  const turn = (step) => {
    const q = new URLSearchParams(location.search);
    q.set("trang", L.page + step);
    go(q);
  };
  $("#l-prev").onclick = () => turn(-1);
  $("#l-next").onclick = () => turn(1);
  window.addEventListener("popstate", load);
  try { await fillChoices(); } catch (err) { $("#l-error").textContent = err.message; }
  load();
});
