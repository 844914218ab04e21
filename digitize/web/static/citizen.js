// The citizen's own papers: what was digitized for them, where each was used again, and the certified copy.
"use strict";

const EVENT_VI = {digitized: "Số hóa khi nộp hồ sơ", approved: "Kiểm tra, đưa vào kho dữ liệu", reused: "Được dùng lại"};

let TYPES = {};

function paperItem(p) {
  const labels = Object.fromEntries(((TYPES[p.type] || {}).fields || []).map((f) => [f.key, f.label]));
  const values = Object.entries(p.fields).filter(([, v]) => v);
  return el("li", {class: "paper", id: `giay-to-${p.id}`, tabindex: "-1"},
    el("div", {class: "paper-head"},
      el("h3", {text: p.name}),
      p.valid_until ? el("span", {class: "badge ok", text: `Hiệu lực đến ${fmtDate(p.valid_until)}`}) : null,
      p.certified ? el("button", {type: "button", class: "primary", text: "Tải bản sao điện tử",
                                  "aria-label": `Tải bản sao điện tử của ${p.name}`, onclick: () => download(p)})
                  : el("span", {class: "muted small", text: "Chưa có bản ký số"})),
    el("details", {class: "small"}, el("summary", {text: "Thông tin trên giấy tờ"}),
      el("dl", {class: "values"}, values.flatMap(([k, v]) => [el("dt", {text: labels[k] || k}), el("dd", {text: fieldText(v)})]))),
    el("ol", {class: "history", "aria-label": `Lịch sử của ${p.name}`}, p.history.map((h) => el("li", {},
      el("span", {class: "when", text: fmtDate(h.at)}), " ",
      el("span", {text: EVENT_VI[h.event] || h.event}),
      h.dossier_code ? el("span", {class: "muted", text: ` – hồ sơ ${h.dossier_code}`}) : null))));
}

async function download(p) {
  try {
    const link = await api("GET", `/api/documents/${p.id}/download`);
    location.href = link.url;
  } catch (err) { toast(err.message, "error"); }
}

const STATE_VI = {in_progress: ["Đang giải quyết", ""], returned: ["Đã trả kết quả", "ok"], overdue: ["Quá hạn", "bad"]};

function dossierRow(d) {
  const [label, cls] = STATE_VI[d.state] || [d.state, ""];
  return el("tr", {id: `ho-so-${d.code}`, tabindex: "-1"},
    el("td", {class: "dossier-code", text: d.code || "–"}),
    el("td", {text: d.procedure_name || d.procedure || "–"}),
    el("td", {text: d.agency_name || d.agency || "–"}),
    el("td", {text: fmtDate(d.received_at)}),
    el("td", {text: d.due_date ? fmtDay(d.due_date) : "–"}),
    el("td", {}, el("span", {class: "badge " + cls, text: label}),
      d.returned_at ? el("span", {class: "muted small", text: ` ${fmtDate(d.returned_at)}`}) : null));
}

async function load() {
  const dossiers = await api("GET", "/api/me/dossiers");
  $("#dossiers").replaceChildren(...(dossiers.length ? dossiers.map(dossierRow)
    : [el("tr", {}, el("td", {colspan: 6, class: "muted", text: "Chưa có hồ sơ nào."}))]));
  TYPES = await api("GET", "/api/document-types");
  const papers = await api("GET", "/api/me/papers");
  const results = papers.filter((p) => p.is_result);
  const others = papers.filter((p) => !p.is_result);
  $("#results").replaceChildren(...(results.length ? results.map(paperItem)
    : [el("li", {class: "muted", text: "Chưa có kết quả nào được số hóa."})]));
  $("#papers").replaceChildren(...(others.length ? others.map(paperItem)
    : [el("li", {class: "muted", text: "Chưa có giấy tờ nào được số hóa."})]));
}

// A hit of the search box is shown where the page already lists it: the paper (its details open), else the
// dossier's row, brought into view and marked for a moment.
function showFound(hit) {
  const paper = hit.document_id && document.getElementById(`giay-to-${hit.document_id}`);
  const target = paper || document.getElementById(`ho-so-${hit.dossier_code}`);
  if (!target) { toast(`Hồ sơ ${hit.dossier_code} không có trong danh sách trên trang này.`, "error"); return; }
  if (paper) $("details", paper).open = true;
  target.scrollIntoView({block: "center"});
  target.focus({preventScroll: true});
  target.classList.remove("found");
  void target.offsetWidth;  // restart the mark's fading when the same item is found twice
  target.classList.add("found");
}

// The address of what a hit shows on this page (a new tab opens the page there).
function mineHref(hit) { return hit.document_id ? `#giay-to-${hit.document_id}` : `#ho-so-${hit.dossier_code}`; }

document.addEventListener("DOMContentLoaded", () => {
  wireSearch({href: mineHref, open: showFound, status: false});
  load().catch((err) => toast(err.message, "error"));
});
