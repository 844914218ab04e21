// The leaders' page, satisfaction: the citizens' ratings of the period (f.satisfaction of GET /api/figures) as two
// tiles, a chart of the share satisfied with the scores' spread, tables per procedure and officer; and the complaints
// (GET /api/complaints), which a leader answers in the page (PUT /api/complaints/{id}). Uses leader.js's helpers.
"use strict";

const LEVELS_VI = ["", "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];
const ASPECTS_VI = [["guidance", "Hướng dẫn"], ["attitude", "Thái độ"], ["time", "Thời gian"], ["result", "Kết quả"]];
const complaintsView = {state: "open"};

const score = (x) => (x === null || x === undefined ? "–" : num(x, 2));

function satisfactionTiles(f) {
  const s = f.satisfaction;
  return [
    tile("share_satisfied", "Mức độ hài lòng của người dân", pct(s.share_satisfied),
      s.ratings ? `${num(s.satisfied)}/${num(s.ratings)} lượt hài lòng · điểm TB ${score(s.mean_score)}/5` : NO_DATA),
    tile("open_complaints", "Phản ánh, kiến nghị chờ trả lời", num(s.open_complaints),
      `${num(s.complaints)} phản ánh, kiến nghị trong kỳ`, s.open_complaints ? "warn" : "ok"),
  ];
}

function renderSatisfaction(f) {
  const s = f.satisfaction;
  lineChart($("#c-sat"), s.series, "share_satisfied", "satisfied", "ratings", "lượt đánh giá");
  $("#c-sat-cap").textContent = "Tỷ lệ hài lòng " + KIND_VI[s.series.bucket];
  renderScores(s);
  renderSatisfactionProcedures(f);
  renderSatisfactionOfficers(s);
}

// The spread of the scores as one bar cut in five, each level in its colour, with the count under it.
function renderScores(s) {
  const box = $("#sat-scores");
  if (!s.ratings) return box.replaceChildren();
  const parts = [1, 2, 3, 4, 5].map((n) => ({n, count: s.scores[String(n)]}));
  box.replaceChildren(
    el("p", {class: "small muted"}, `Phân bố ${num(s.ratings)} lượt đánh giá theo mức:`),
    el("div", {class: "score-bar", role: "img", "aria-label": parts.map((p) => `${LEVELS_VI[p.n]}: ${p.count}`).join("; ")},
      ...parts.filter((p) => p.count).map((p) => el("span", {class: `lv${p.n}`, style: `flex: ${p.count}`,
        title: `${LEVELS_VI[p.n]}: ${num(p.count)}`}, num(p.count)))),
    el("ul", {class: "score-legend plain"}, ...parts.map((p) => el("li", {},
      el("i", {class: `sw lv${p.n}`}), `${LEVELS_VI[p.n]} (${p.n}): ${num(p.count)}`))));
}

function satisfactionCells(r, aspects = true) {
  return [
    td(num(r.ratings)),
    td(score(r.mean_score)),
    td(pct(r.share_satisfied)),
    td(num(r.complaints), "num" + (r.complaints ? " warn" : "")),
    ...(aspects ? ASPECTS_VI.map(([k]) => td(score(r[`mean_${k}`]))) : []),
  ];
}

function renderSatisfactionProcedures(f) {
  const table = $("#t-sat"), s = f.satisfaction;
  if (!s.procedures.length) return emptyRow(table, 9);
  $("tbody", table).replaceChildren(...s.procedures.map((r) => el("tr", {},
    el("th", {scope: "row"}, el("span", {class: "proc-name"}, procName(r.procedure)),
      r.procedure ? el("span", {class: "proc-code"}, r.procedure) : null),
    ...satisfactionCells(r))));
  $("tfoot", table).replaceChildren(el("tr", {}, el("th", {scope: "row"}, "Tổng cộng"), ...satisfactionCells(s)));
}

function renderSatisfactionOfficers(s) {
  const table = $("#t-sat-officers");
  if (!s.officers.length) {
    $("tbody", table).replaceChildren(el("tr", {}, el("td", {colspan: 5, class: "no-data"}, NO_DATA)));
    return;
  }
  $("tbody", table).replaceChildren(...s.officers.map((o) => el("tr", {"data-user": o.username},
    el("th", {scope: "row"}, el("span", {class: "proc-name"}, o.full_name || o.username),
      el("span", {class: "proc-code"}, o.username)),
    ...satisfactionCells(o, false))));
}

// --- complaints ---------------------------------------------------------------------------------------------------

async function loadComplaints(stateName = complaintsView.state) {
  complaintsView.state = stateName;
  for (const tab of $$(".complaint-tabs [role=tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.state === stateName));
  }
  try {
    const rows = await api("GET", `/api/complaints?state=${stateName}`);
    if (stateName === "open") $("#open-count").textContent = String(rows.length);
    renderComplaints(rows);
  } catch (err) {
    toast(err.message, "error");
  }
}

function renderComplaints(rows) {
  const canAnswer = $("#complaints").dataset.canAnswer === "yes";
  const empty = complaintsView.state === "open" ? "Không có phản ánh, kiến nghị chờ trả lời." : "Chưa trả lời phản ánh nào.";
  $("#complaint-list").replaceChildren(...(rows.length ? rows.map((c) => el("li", {class: "complaint", "data-id": c.id},
    el("p", {class: "c-head"}, el("strong", {}, c.code || c.dossier_id), " · ", c.procedure_name || procName(c.procedure), " · ",
      fmtDate(c.at), " ", el("span", {class: `badge lv-badge lv${c.score}`}, `${LEVELS_VI[c.score]} (${c.score}/5)`),
      c.flagged ? el("span", {class: "badge"}, "Người dân đánh dấu") : null),
    el("blockquote", {class: "c-text"}, c.comment || ""),
    c.answer ? el("p", {class: "c-answer"}, el("strong", {}, `Trả lời (${c.answered_by}, ${fmtDate(c.answered_at)}): `),
      c.answer) : null,
    canAnswer ? answerBox(c) : null))
    : [el("li", {class: "no-data"}, empty)]));
}

function answerBox(c) {
  const id = `answer-${c.id}`;
  const area = el("textarea", {id, rows: 2, maxlength: 2000});
  area.value = c.answer || "";
  const button = el("button", {type: "button", class: "primary", onclick: () => sendAnswer(c.id, area, button)},
    c.answer ? "Sửa trả lời" : "Gửi trả lời");
  return el("div", {class: "c-reply"}, el("label", {for: id}, `Trả lời phản ánh hồ sơ ${c.code || ""}`), area, button);
}

async function sendAnswer(id, area, button) {
  if (!area.value.trim()) {
    toast("Xin ghi nội dung trả lời.", "error");
    area.focus();
    return;
  }
  button.disabled = true;
  try {
    await api("PUT", `/api/complaints/${id}`, {answer: area.value});
    toast("Đã ghi nhận trả lời.", "ok");
    await loadComplaints();
    load(query());  // the tiles count the complaints still open
  } catch (err) {
    toast(err.message, "error");
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const tab of $$(".complaint-tabs [role=tab]")) tab.addEventListener("click", () => loadComplaints(tab.dataset.state));
  loadComplaints("open");
});
