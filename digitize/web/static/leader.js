// The leaders' page: figures of the agency over a period (GET /api/figures), as tiles, small SVG charts and tables.
"use strict";

const TARGET_DIGITIZED = 0.8; // Decision 766/QĐ-TTg: full marks from 80 % of dossiers digitized at reception
const NO_DATA = "Chưa có dữ liệu";
const known = new Map(); // procedure code -> name, from the rows seen so far (fills the select)
let names = {procedures: {}, document_types: {}, fields: {}, people: {}};

// --- formatting ---------------------------------------------------------------------------------------------------

function num(x, digits = 0) {
  return x === null || x === undefined ? "–" : Number(x).toLocaleString("vi-VN", {maximumFractionDigits: digits});
}
const dmy = (iso) => iso.split("-").reverse().join("/");
const dm = (iso) => dmy(iso).slice(0, 5);
const my = (iso) => dmy(iso).slice(3);

function bucketName(p, kind) {
  if (kind === "month") return "Tháng " + my(p.start);
  if (kind === "week") return p.start === p.end ? dmy(p.start) : `${dm(p.start)}–${dmy(p.end)}`;
  return dmy(p.start);
}
const tickName = (p, kind) => (kind === "month" ? my(p.start) : dm(p.start));
const KIND_VI = {day: "theo ngày", week: "theo tuần", month: "theo tháng"};

function procName(code) {
  if (!code) return "Chưa chọn thủ tục";
  return names.procedures[code] || known.get(code) || code;
}

// --- filters ------------------------------------------------------------------------------------------------------

function chosenProcedure() {
  const v = $("#f-proc").value;
  return v === "*" ? $("#f-code").value.trim() : v;
}

function query(extra = {}) {
  const q = new URLSearchParams();
  const from = isoDate($("#f-from").value), to = isoDate($("#f-to").value);
  if (from) q.set("from", from);
  if (to) q.set("to", to);
  const proc = chosenProcedure();
  if (proc) q.set("procedure", proc);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q;
}

function fillProcedures(current) {
  const sel = $("#f-proc");
  const codes = [...known.keys()].sort();
  if (current && !known.has(current)) codes.push(current);
  sel.replaceChildren(
    el("option", {value: ""}, "Tất cả thủ tục"),
    ...codes.map((c) => el("option", {value: c}, `${procName(c)} (${c})`)),
    el("option", {value: "*"}, "Nhập mã thủ tục khác…"),
  );
  sel.value = current || "";
  $("#f-code-box").hidden = true;
}

function checkFilters() {
  const from = isoDate($("#f-from").value), to = isoDate($("#f-to").value), proc = chosenProcedure();
  if (!$("#f-from").value.trim() || !$("#f-to").value.trim()) return "Hãy nhập đủ từ ngày và đến ngày.";
  if (!from || !to) return "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 08/11/2026.";
  if (from > to) return "Từ ngày phải trước hoặc bằng đến ngày.";
  if ($("#f-proc").value === "*" && !/^\d\.\d{6}$/.test(proc)) return "Mã thủ tục có dạng 1.001193.";
  return "";
}

// --- loading ------------------------------------------------------------------------------------------------------

async function load(q) {
  const main = $("#main");
  main.setAttribute("aria-busy", "true");
  $("#filter-error").textContent = "";
  try {
    const f = await api("GET", "/api/figures?" + q.toString());
    render(f);
    const shown = new URLSearchParams({from: f.from, to: f.to});
    if (f.procedure) shown.set("procedure", f.procedure);
    history.replaceState(null, "", location.pathname + "?" + shown.toString());
  } catch (err) {
    $("#filter-error").textContent = err.message;
    toast(err.message, "error");
  } finally {
    main.removeAttribute("aria-busy");
  }
}

function render(f) {
  names = f.names || names;
  for (const r of f.rows) if (r.procedure) known.set(r.procedure, procName(r.procedure));
  $("#f-from").value = fieldText(f.from);
  $("#f-to").value = fieldText(f.to);
  fillProcedures(f.procedure || "");
  // One CSV file per table, of the period shown; the server names the file.
  for (const a of $$("a.csv[data-table]")) {
    const csv = new URLSearchParams({from: f.from, to: f.to});
    if (f.procedure) csv.set("procedure", f.procedure);
    csv.set("format", "csv");
    csv.set("table", a.dataset.table);
    a.href = "/api/figures?" + csv.toString();
  }

  const t = f.total;
  const empty = !t.received && !t.results_issued && !f.satisfaction.ratings;
  $("#period").textContent =
    `Từ ${dmy(f.from)} đến ${dmy(f.to)} (${num(f.days)} ngày) · ${f.procedure ? procName(f.procedure) : "tất cả thủ tục"}` +
    (empty ? " · Chưa có dữ liệu trong khoảng thời gian này." : "");
  renderTiles(f);
  renderCharts(f);
  renderProcedures(f);
  renderCorrections(f);
  renderOfficers(f);
  renderRejections(f);
  renderOverdue(f);
  renderSatisfaction(f);  // leader_satisfaction.js
}

// --- tiles --------------------------------------------------------------------------------------------------------

function tile(key, label, value, sub, state) {
  return el("div", {class: "tile" + (state ? " " + state : ""), "data-key": key},
    el("dt", {class: "tile-label"}, label),
    el("dd", {class: "tile-value"}, value),
    el("dd", {class: "tile-sub"}, sub));
}

function ofWhole(part, whole, unit) {
  return whole ? `${num(part)}/${num(whole)} ${unit}` : NO_DATA;
}

// The papers sent to the citizens' repository on the national portal, as the outbox holds them now (any day).
function portalTile(p) {
  if (!p) return tile("portal_sync", "Gửi lên kho dữ liệu Cổng DVC quốc gia", "–", "Chưa gửi giấy tờ nào");
  const waiting = p.pending + p.dead;
  return tile("portal_sync", "Gửi lên kho dữ liệu Cổng DVC quốc gia", num(p.sent),
    `lượt gửi thành công (giấy tờ, thu hồi) · ${num(p.pending)} đang chờ · ${num(p.dead)} lỗi chờ quản trị xử lý`,
    p.dead ? "warn" : waiting ? "" : "ok");
}

function renderTiles(f) {
  const t = f.total, b = f.review_backlog, c = f.correction_rate;
  const share = t.share_digitized;
  const met = share !== null && share >= TARGET_DIGITIZED;
  const target = share === null ? "Mục tiêu ≥ 80 % (QĐ 766)" : (met ? "Đạt" : "Chưa đạt") + " mục tiêu ≥ 80 % (QĐ 766)";
  $("#tiles").replaceChildren(
    tile("share_digitized", "Tỷ lệ hồ sơ số hóa khi tiếp nhận", pct(share),
      [el("span", {}, ofWhole(t.digitized_at_reception, t.received, "hồ sơ")), el("br"),
       el("span", {class: "target"}, target)],
      share === null ? "" : met ? "ok" : "warn"),
    tile("share_results_digitized", "Tỷ lệ kết quả được số hóa", pct(t.share_results_digitized),
      ofWhole(t.results_digitized, t.results_issued, "kết quả")),
    tile("share_results_synced", "Tỷ lệ kết quả đồng bộ kho dữ liệu", pct(t.share_results_synced),
      ofWhole(t.results_synced, t.results_issued, "kết quả")),
    portalTile((f.delivery || {}).portal),
    tile("share_on_time", "Tỷ lệ trả kết quả đúng hạn", pct(t.share_on_time),
      [el("span", {}, ofWhole(t.results_on_time, t.results_with_due_date, "kết quả có ngày hẹn")), el("br"),
       el("span", {}, t.overdue ? `${num(t.overdue)} hồ sơ quá hạn chưa trả` : "Không có hồ sơ quá hạn")],
      t.overdue ? "warn" : t.share_on_time === null ? "" : "ok"),
    tile("reuse_rate", "Tỷ lệ tái sử dụng", pct(t.reuse_rate),
      t.received ? `${num(t.reused_dossiers)}/${num(t.received)} hồ sơ · ${num(t.reuse_events)} lượt` : NO_DATA),
    tile("received", "Hồ sơ tiếp nhận", num(t.received), `trong ${num(f.days)} ngày`),
    tile("pages_per_day", "Trang/ngày", num(t.pages_per_day, 2), `${num(t.pages)} trang trong kỳ, kể cả lưu trữ`),
    tile("archive_dossiers", "Hồ sơ lưu trữ được số hóa", num(t.archive_dossiers),
      t.archive_dossiers ? `${num(t.archive_results)} kết quả lưu trữ; không tính vào các tỷ lệ trên` : "Không có trong kỳ"),
    tile("review_backlog", "Tồn đọng kiểm tra", num(b.documents),
      !b.documents ? "Không có tài liệu chờ duyệt"
        : b.oldest_hours < 1 ? "tài liệu chờ duyệt · lâu nhất chưa đến 1 giờ"
          : `tài liệu chờ duyệt · lâu nhất ${num(b.oldest_hours, 1)} giờ`,
      b.documents ? "" : "ok"),
    tile("correction_rate", "Tỷ lệ sửa dữ liệu", pct(c.rate), ofWhole(c.corrected, c.extracted, "trường bị sửa")),
    ...satisfactionTiles(f),  // leader_satisfaction.js
  );
}

// --- charts (inline SVG) ------------------------------------------------------------------------------------------

const SVGNS = "http://www.w3.org/2000/svg";
const W = 440, H = 200, ML = 46, MR = 14, MT = 14, MB = 28;

function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function niceTop(max) {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].find((m) => m * mag >= raw) * mag);
  return {top: step * 4, step};
}

// The frame of a chart: y grid with labels, x labels under the buckets; returns the svg and the scales.
function frame(points, kind, ticks, fmt, top, labelledby, summary) {
  const n = points.length, band = (W - ML - MR) / n;
  const x = (i) => ML + (i + 0.5) * band;
  const y = (v) => MT + (H - MT - MB) * (1 - v / top);
  const svg = svgEl("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": labelledby,
    "aria-describedby": labelledby + "-sum", class: "chart-svg", "data-kind": kind});
  svg.append(svgEl("desc", {id: labelledby + "-sum"}, summary));
  for (const v of ticks) {
    svg.append(svgEl("line", {class: "grid", x1: ML, x2: W - MR, y1: y(v), y2: y(v)}));
    svg.append(svgEl("text", {class: "axis", x: ML - 6, y: y(v) + 4, "text-anchor": "end"}, fmt(v)));
  }
  const every = Math.ceil(n / 7);
  points.forEach((p, i) => {
    if (i % every === 0) {
      svg.append(svgEl("text", {class: "axis", x: x(i), y: H - 8, "text-anchor": "middle"}, tickName(p, kind)));
    }
  });
  return {svg, x, y, band};
}

function noData(box) {
  box.replaceChildren(el("p", {class: "no-data"}, NO_DATA));
}

// A rate over time: points where the rate exists, solid between neighbouring buckets, dashed across empty ones.
function lineChart(box, series, key, partKey, wholeKey, unit, target) {
  const {bucket: kind, points} = series;
  const shown = points.map((p, i) => ({p, i})).filter(({p}) => p[key] !== null);
  if (!shown.length) return noData(box);
  const last = shown[shown.length - 1].p;
  const summary = `${box.previousElementSibling.textContent} ${KIND_VI[kind]}: ${shown.length} kỳ có số liệu; ` +
    `gần nhất ${bucketName(last, kind)}: ${pct(last[key])}.`;
  const {svg, x, y} = frame(points, kind, [0, 0.25, 0.5, 0.75, 1], pct, 1, box.previousElementSibling.id, summary);
  if (target !== undefined) {
    svg.append(svgEl("line", {class: "target-line", x1: ML, x2: W - MR, y1: y(target), y2: y(target)}));
  }
  let gaps = false;
  for (let k = 1; k < shown.length; k++) {
    const a = shown[k - 1], b = shown[k];
    gaps = gaps || b.i - a.i > 1;
    svg.append(svgEl("line", {class: b.i - a.i === 1 ? "series" : "series gap",
      x1: x(a.i), y1: y(a.p[key]), x2: x(b.i), y2: y(b.p[key])}));
  }
  for (const {p, i} of shown) {
    const ok = target !== undefined && p[key] >= target;
    svg.append(svgEl("circle", {class: "point" + (ok ? " ok" : ""), cx: x(i), cy: y(p[key]), r: 3.5},
      svgEl("title", {}, `${bucketName(p, kind)}: ${pct(p[key])} (${num(p[partKey])}/${num(p[wholeKey])} ${unit})`)));
  }
  const legend = el("p", {class: "legend", "aria-hidden": "true"},
    el("span", {}, el("i", {class: "sw"}), "Tỷ lệ của từng kỳ"),
    gaps ? el("span", {}, el("i", {class: "sw gap"}), "nối qua kỳ không có hồ sơ") : null,
    target !== undefined ? el("span", {class: "lg-target"}, el("i", {class: "sw target"}),
      `Mục tiêu ≥ ${pct(target)} (QĐ 766)`) : null);
  box.replaceChildren(svg, legend);
}

function barChart(box, series) {
  const {bucket: kind, points} = series;
  const max = Math.max(0, ...points.map((p) => p.pages));
  if (!max) return noData(box);
  const {top, step} = niceTop(max);
  const ticks = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  const total = points.reduce((s, p) => s + p.pages, 0);
  const summary = `Số trang số hóa ${KIND_VI[kind]}: tổng ${num(total)} trang, nhiều nhất ${num(max)} trang một kỳ.`;
  const {svg, x, y, band} = frame(points, kind, ticks, (v) => num(v), top, box.previousElementSibling.id, summary);
  const w = Math.max(1, Math.min(band * 0.7, 28));
  points.forEach((p, i) => {
    if (!p.pages) return;
    svg.append(svgEl("rect", {class: "bar", x: x(i) - w / 2, y: y(p.pages), width: w, height: y(0) - y(p.pages)},
      svgEl("title", {}, `${bucketName(p, kind)}: ${num(p.pages)} trang (${num(p.received)} hồ sơ)`)));
  });
  box.replaceChildren(svg);
}

function renderCharts(f) {
  lineChart($("#c-digitized"), f.series, "share_digitized", "digitized_at_reception", "received", "hồ sơ",
    TARGET_DIGITIZED);
  lineChart($("#c-reuse"), f.series, "reuse_rate", "reused_dossiers", "received", "hồ sơ");
  barChart($("#c-pages"), f.series);
  const by = " " + KIND_VI[f.series.bucket];
  $("#c-digitized-cap").textContent = "Tỷ lệ hồ sơ số hóa khi tiếp nhận" + by;
  $("#c-reuse-cap").textContent = "Tỷ lệ tái sử dụng dữ liệu số hóa" + by;
  $("#c-pages-cap").textContent = "Số trang số hóa" + by;
}

// --- tables -------------------------------------------------------------------------------------------------------

const td = (v, cls = "num") => el("td", {class: cls}, v);
const withShare = (n, share) => (share === null ? num(n) : `${num(n)} (${pct(share)})`);

function procedureCells(r) {
  return [
    td(num(r.received)),
    td(num(r.digitized_at_reception)),
    td(pct(r.share_digitized), "num" + (r.share_digitized === null ? "" : r.share_digitized >= TARGET_DIGITIZED ? " ok" : " warn")),
    td(num(r.reused_dossiers)),
    td(num(r.reuse_events)),
    td(pct(r.reuse_rate)),
    td(num(r.results_issued)),
    td(withShare(r.results_digitized, r.share_results_digitized)),
    td(withShare(r.results_synced, r.share_results_synced)),
    td(withShare(r.results_on_time, r.share_on_time)),
    td(num(r.overdue), "num" + (r.overdue ? " warn" : "")),
    td(num(r.pages)),
    td(num(r.pages_per_day, 2)),
  ];
}

function emptyRow(table, cols) {
  $("tbody", table).replaceChildren(el("tr", {}, el("td", {colspan: cols, class: "no-data"}, NO_DATA)));
  $("tfoot", table).replaceChildren();
}

function renderProcedures(f) {
  const table = $("#t-proc");
  if (!f.rows.length) return emptyRow(table, 14);
  $("tbody", table).replaceChildren(...f.rows.map((r) => el("tr", {},
    el("th", {scope: "row"}, el("span", {class: "proc-name"}, procName(r.procedure)),
      r.procedure ? el("span", {class: "proc-code"}, r.procedure) : null),
    ...procedureCells(r))));
  $("tfoot", table).replaceChildren(el("tr", {}, el("th", {scope: "row"}, "Tổng cộng"), ...procedureCells(f.total)));
}

function renderCorrections(f) {
  const table = $("#t-corr"), c = f.correction_rate;
  if (!c.fields.length) return emptyRow(table, 6);
  const fieldName = (t, k) => (names.fields[t] || {})[k] || k;
  const person = (t, k) => (names.people[t] || {})[k] || "–";  // whose field: "Con", "Mẹ", "Cha" (the catalog's)
  // Each type's fields in the order its paper prints them (the catalog's), the type named once for its rows.
  const byType = new Map();
  for (const r of c.fields) byType.set(r.type, [...(byType.get(r.type) || []), r]);
  const place = (t, k) => {
    const i = Object.keys(names.fields[t] || {}).indexOf(k);
    return i < 0 ? Infinity : i;
  };
  $("tbody", table).replaceChildren(...[...byType].flatMap(([t, rows]) => rows
    .sort((a, b) => place(t, a.field) - place(t, b.field))
    .map((r, i) => el("tr", {},
      i ? null : el("th", {scope: "rowgroup", rowspan: rows.length}, typeName(t)),
      td(person(t, r.field), "person"), td(fieldName(t, r.field), ""),
      td(num(r.extracted)), td(num(r.corrected)), td(pct(r.rate), "num" + (r.corrected ? " warn" : ""))))));
  $("tfoot", table).replaceChildren(el("tr", {}, el("th", {scope: "row", colspan: 3}, "Tổng cộng"),
    td(num(c.extracted)), td(num(c.corrected)), td(pct(c.rate))));
}

const typeName = (t) => names.document_types[t] || t;
const OFFICER_COUNTS = ["received", "pages", "results_issued", "approved", "rejected", "corrected"];

function renderOfficers(f) {
  const table = $("#t-officers");
  if (!f.officers.length) return emptyRow(table, 7);
  $("tbody", table).replaceChildren(...f.officers.map((o) => el("tr", {"data-user": o.username},
    el("th", {scope: "row"}, el("span", {class: "proc-name"}, o.full_name || o.username),
      el("span", {class: "proc-code"}, o.username)),
    ...OFFICER_COUNTS.map((k) => td(num(o[k]))))));
  const sum = (k) => f.officers.reduce((n, o) => n + o[k], 0);
  $("tfoot", table).replaceChildren(el("tr", {}, el("th", {scope: "row"}, "Tổng cộng"),
    ...OFFICER_COUNTS.map((k) => td(num(sum(k))))));
}

// One row per reason; the type's cell spans its reasons and says how many of its papers were rejected.
function renderRejections(f) {
  const table = $("#t-rej"), r = f.rejections;
  if (!r.types.length) return emptyRow(table, 3);
  $("tbody", table).replaceChildren(...r.types.flatMap((t) => t.reasons.map((why, i) => el("tr", {},
    i ? null : el("th", {scope: "rowgroup", rowspan: t.reasons.length},
      el("span", {class: "proc-name"}, typeName(t.type)),
      el("span", {class: "proc-code"}, `từ chối ${num(t.rejected)}/${num(t.decided)} tài liệu (${pct(t.rate)})`)),
    td(why.reason || "Không ghi lý do", why.reason ? "reason" : "reason muted"),
    td(num(why.count))))));
  $("tfoot", table).replaceChildren(el("tr", {}, el("th", {scope: "row", colspan: 2},
    `Tổng cộng: từ chối ${num(r.rejected)}/${num(r.decided)} tài liệu (${pct(r.rate)})`), td(num(r.rejected))));
}

function renderOverdue(f) {
  const table = $("#t-late");
  if (!f.overdue.length) {
    $("tbody", table).replaceChildren(el("tr", {}, el("td", {colspan: 6, class: "no-data"}, "Không có hồ sơ quá hạn")));
    return;
  }
  $("tbody", table).replaceChildren(...f.overdue.map((d) => el("tr", {},
    el("th", {scope: "row"}, d.code || d.dossier_id),
    td(procName(d.procedure), ""),
    td(d.citizen_id || "–", "id-masked"),
    td(fmtDate(d.received_at), "num"),
    td(fmtDate(d.due_date) + (d.new_due_date ? ` (hẹn lại ${fmtDate(d.new_due_date)})` : "")),
    td(`${num(d.days_late)} ngày`, "num warn"))));
}

// --- start --------------------------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  // A leader has no dossier screen: a hit opens the dossier's control slip (form 05), which a leader may read.
  if ($("#search-input")) wireSearch({hint: "Bấm vào một kết quả để xem phiếu kiểm soát quá trình giải quyết"});
  const start = new URLSearchParams(location.search);
  if (start.get("from")) $("#f-from").value = fieldText(start.get("from"));
  if (start.get("to")) $("#f-to").value = fieldText(start.get("to"));
  const proc = start.get("procedure") || "";
  if (proc) fillProcedures(proc);

  $("#f-proc").addEventListener("change", () => {
    const other = $("#f-proc").value === "*";
    $("#f-code-box").hidden = !other;
    if (other) $("#f-code").focus();
  });
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const problem = checkFilters();
    if (problem) {
      $("#filter-error").textContent = problem;
      return;
    }
    load(query());
  });
  // Without dates the server picks the last 30 days in its own time zone; the inputs then show them.
  load(query());
});
