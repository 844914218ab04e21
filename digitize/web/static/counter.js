// The counter screen: open a dossier for a procedure and a citizen, attach their digitized papers, take scans,
// follow each page live (server-sent events), rearrange, turn and view pages, make documents of chosen pages (split,
// merge, change of type), watch the checklist fill, print the receipt.
"use strict";

const state = {catalog: null, procedures: [], procedure: null, papers: [], dossier: null, status: null, events: null,
               rescanPage: null, dragFrom: null, refocus: null, uploading: 0, picked: new Set(), types: {}};
const KHAC = {code: "khac", name: "Giấy tờ khác"};  // what no type of the catalog is: a choice too

function procLabel(p) { return `${p.code} – ${p.name}`; }

async function loadProcedures() {
  state.procedures = await api("GET", "/api/procedures");
  const list = $("#proc-list");
  list.replaceChildren(...state.procedures.map((p) => el("option", {value: procLabel(p)})));
}

// The datalist lets the officer type part of the name or the code; the choice is whatever matches uniquely.
// Typed with or without tone marks ("chung thuc" finds "Chứng thực…"); the chosen procedure is named in full.
function pickProcedure() {
  const q = plain($("#proc-search").value.trim());
  const hits = state.procedures.filter((p) => plain(procLabel(p)).includes(q));
  state.procedure = q && hits.length >= 1 && (hits.length === 1 || plain(procLabel(hits[0])) === q) ? hits[0] : null;
  $("#proc-chosen").textContent = state.procedure
    ? `${state.procedure.name} · ${state.procedure.components.length} thành phần hồ sơ`
    : q ? `${hits.length} thủ tục khớp – chọn một trong danh sách` +
          (hits.length && hits.length <= 3 ? ": " + hits.map((p) => p.name).join("; ") : "") : "";
  renderReuse();
}

function idValid(v) { return /^[0-9]{12}$/.test(v); }

async function lookUpCitizen() {
  const id = $("#citizen-id").value.trim();
  state.papers = [];
  if (idValid(id)) {
    try { state.papers = await api("GET", `/api/citizens/${id}/papers`); }
    catch (err) { toast(err.message, "error"); }
  }
  renderReuse();
}

// The citizen's papers that fit a component of the chosen procedure, ticked by default: no need to scan them.
function reusable() {
  if (!state.procedure) return [];
  const out = [];
  for (const c of state.procedure.components) {
    for (const p of state.papers) {
      if (c.reusable_types.includes(p.type) && !out.some((o) => o.paper.id === p.id)) out.push({component: c, paper: p});
    }
  }
  return out;
}

function renderReuse() {
  const items = state.dossier ? [] : reusable();
  $("#reuse-box").hidden = items.length === 0;
  $("#reuse-list").replaceChildren(...items.map(({component, paper}) => el("li", {},
    el("label", {},
      el("input", {type: "checkbox", value: paper.id, checked: true, "data-component": component.key}),
      el("span", {}, el("strong", {text: paper.name}), " ",
        el("span", {class: "muted small", text: `cho “${component.name}”, hồ sơ ${paper.dossier_code || ""}` +
          (paper.valid_until ? `, hiệu lực đến ${fmtDate(paper.valid_until)}` : "")}))))));
}

// Guarded: an officer quicker than the procedure list waits for it, and a second click opens no second dossier.
async function openDossier() {
  const button = $("#open-dossier");
  if (button.disabled) return;
  button.disabled = true;
  try {
    await state.catalog;
    pickProcedure();
    await openChosen();
  } catch (err) { toast(err.message, "error"); }
  finally { if (!state.dossier) button.disabled = false; }
}

async function openChosen() {
  const id = $("#citizen-id").value.trim();
  if (!state.procedure) { toast("Chưa chọn thủ tục.", "error"); $("#proc-search").focus(); return; }
  if (id && !idValid(id)) { toast("Số định danh cá nhân phải gồm 12 chữ số.", "error"); $("#citizen-id").focus(); return; }
  const d = await api("POST", "/api/dossiers", {procedure: state.procedure.code, citizen_id: id || null});
  const ticked = $$("#reuse-list input:checked").map((i) => Number(i.value));
  const offered = new Set(d.offers.flatMap((o) => o.papers.map((p) => p.id)));
  const attach = ticked.filter((x) => offered.has(x));
  if (attach.length) await api("POST", `/api/dossiers/${d.dossier}/reuse`, {document_ids: attach});
  history.replaceState(null, "", `/quay?ho-so=${d.dossier}`);
  await showDossier(d.dossier);
  $("#applicant-name").focus();  // the keyboard goes on where the work does: who hands the dossier in
  toast(`Đã mở hồ sơ ${d.code}` + (attach.length ? `, dùng lại ${attach.length} giấy tờ` : ""), "ok");
}

async function showDossier(id) {
  state.dossier = id;
  if (state.events) state.events.close();
  render(await api("GET", `/api/dossiers/${id}`));
  // Live: each change (a page read, a document found) arrives as a `status` event.
  state.events = new EventSource(`/api/dossiers/${id}/events`);
  state.events.addEventListener("status", (e) => render(JSON.parse(e.data)));
  publishKiosk(id).catch(() => {});  // the rating screen offers this dossier (a convenience: the work goes on)
  loadRecent();
  loadAwaiting();
}

function render(st) {
  state.status = st;
  const proc = state.procedures.find((p) => p.code === st.procedure);
  if (proc && !state.procedure) {  // a dossier opened again (?ho-so=…): its procedure is named as when it was chosen
    state.procedure = proc;
    $("#proc-search").value = procLabel(proc);
    $("#proc-chosen").textContent = `${proc.name} · ${proc.components.length} thành phần hồ sơ`;
  }
  for (const id of ["proc-search", "citizen-id", "open-dossier"]) $("#" + id).disabled = true;
  $("#open-form").hidden = true;  // the dossier's line below names its procedure and citizen: room for its work
  $("#reuse-box").hidden = true;
  $("#dossier-head").hidden = false;
  $("#dossier-code").textContent = st.code;
  $("#dossier-meta").textContent = `${proc ? proc.name : "Không theo thủ tục"} · ` +
    (st.citizen_id ? `công dân ${st.citizen_id}` : "chưa có số định danh") + ` · ${fmtDate(st.created_at)}` +
    (st.due_date ? ` · hẹn trả ${fmtDay(st.due_date)}` : "");
  $("#citizen-code").hidden = !st.citizen_id;
  renderProgress(st);
  renderPages(st);
  renderWarnings(st);
  renderChecklist(st);
  renderDocuments(st);
  renderResults(st);
  // Pages being read, or read but not yet put together again after a change: the receipt waits for them.
  const busy = st.status === "processing" || st.scans.pending > 0 || (st.status === "received" && st.pages.length > 0);
  const empty = !intakeOrder(st).length && !st.reused.length;  // nothing handed in: no receipt to print
  $("#finish").disabled = busy || empty || state.uploading > 0;
  $("#finish").textContent = state.uploading ? "Đang tải tệp lên…" : busy ? "Đang đọc các trang…" :
    empty ? "Chưa có trang nào" : "Hoàn tất và in biên nhận";
  renderHandling(st);  // counter_forms.js: the applicant, the counts, a supplement or refusal
  renderRating(st);  // counter_rating.js: rated or not, the invitation
}

function renderProgress(st) {
  const total = st.scans.pending + st.scans.done + st.scans.failed;
  const done = st.scans.done + st.scans.failed;
  $("#progress").hidden = total === 0;
  $("#progress-bar").style.width = total ? `${(100 * done) / total}%` : "0";
  const busy = st.status === "processing" || st.scans.pending > 0;
  // Every scan read but the dossier still busy: its copy, documents and signatures are being put together.
  $("#progress-text").textContent = busy ? (done < total ? `Đang đọc: ${done}/${total} trang quét` : "Đang hoàn tất hồ sơ…") :
    st.status === "failed" ? "Xử lý lỗi: " + (st.error || "") : `Đã đọc xong ${done} trang quét`;
}

function docOfPage(st) {
  const map = {};
  for (const d of st.documents) for (const i of d.pages) map[i] = d;
  return map;
}

// The pages handed in, in the officer's order: the scans of the issued result are the results section's, not
// pages of the dossier received.
function intakeOrder(st) {
  const result = new Set(st.result_pages);
  return st.page_order.filter((i) => !result.has(i));
}

function renderPages(st) {
  const byIndex = Object.fromEntries(st.pages.map((p) => [p.index, p]));
  const docs = docOfPage(st);
  const excluded = new Set(st.excluded_pages);
  const order = intakeOrder(st);
  const again = new Set(st.rereading);
  for (const i of [...state.picked]) if (!order.includes(i)) state.picked.delete(i);
  const items = order.map((i, pos) => {
    const p = byIndex[i];
    const warns = [...p.warnings, ...(p.blank ? ["blank"] : [])];
    const needsRescan = warns.some((w) => RESCAN.has(w));
    const li = el("li", {draggable: "true", "data-index": i, "aria-label": `Trang ${pos + 1}`,
                         class: [excluded.has(i) ? "excluded" : "", state.picked.has(i) ? "picked" : ""].join(" ").trim()},
      // The thumbnail opens the page full size (the rotation in its address: a turned page is fetched anew).
      el("button", {type: "button", class: "thumb", "data-act": "view", "aria-label": `Xem trang ${pos + 1} cỡ lớn`,
                    onclick: () => viewPages(pos)},
        el("img", {src: `/api/dossiers/${st.dossier}/pages/${i}/thumb.jpg?r=${p.rotation}`, class: "openable",
                   alt: `Ảnh thu nhỏ trang ${pos + 1}`, loading: "lazy"})),
      el("span", {class: "pno", text: `Trang ${pos + 1}`}), " ",
      el("span", {class: "muted", text: `${p.paper} · ${p.dpi} dpi`}),
      el("span", {class: "doc", text: excluded.has(i) ? "Đã bỏ khỏi hồ sơ" : docs[i] ? docs[i].name : p.blank ? "Trang trắng" : "–"}),
      el("div", {class: "warns"}, again.has(i) ? el("span", {class: "badge", text: "Đang đọc lại…"}) : null,
        warns.map((w) => el("span", {class: "badge " + (RESCAN.has(w) ? "bad" : "warn"), text: WARNINGS_VI[w] || w}))),
      el("div", {class: "acts"},
        // Buttons as well as dragging, for the keyboard: move the page one place earlier or later.
        el("button", {type: "button", text: "◀", "data-move": "-1", "aria-label": `Đưa trang ${pos + 1} lên trước`,
                      disabled: pos === 0, onclick: () => shiftPage(i, -1)}),
        el("button", {type: "button", text: "▶", "data-move": "1", "aria-label": `Đưa trang ${pos + 1} ra sau`,
                      disabled: pos === order.length - 1, onclick: () => shiftPage(i, 1)}),
        needsRescan && !excluded.has(i) ? el("button", {type: "button", class: "danger", text: "Quét lại",
          "data-act": "rescan", onclick: () => rescan(i)}) : null,
        el("button", {type: "button", text: excluded.has(i) ? "Lấy lại" : "Bỏ trang", "data-act": "exclude",
          onclick: () => toggleExcluded(i)}),
        el("button", {type: "button", text: "↻ Xoay", "data-act": "rotate", disabled: again.has(i),
                      "aria-label": `Xoay trang ${pos + 1} 90° theo chiều kim đồng hồ`, onclick: () => rotatePage(i)}),
        el("label", {class: "pick"}, el("input", {type: "checkbox", "data-act": "pick", checked: state.picked.has(i),
          "aria-label": `Chọn trang ${pos + 1} để tách, gộp giấy tờ`, onchange: (e) => pickPage(i, e.target.checked)}),
          "Chọn")));
    li.addEventListener("dragstart", () => { state.dragFrom = i; li.classList.add("dragging"); });
    li.addEventListener("dragend", () => li.classList.remove("dragging"));
    li.addEventListener("dragover", (e) => { e.preventDefault(); li.classList.add("drop-before"); });
    li.addEventListener("dragleave", () => li.classList.remove("drop-before"));
    li.addEventListener("drop", (e) => { e.preventDefault(); li.classList.remove("drop-before"); movePage(state.dragFrom, i); });
    return li;
  });
  const pending = st.scans.pending - again.size;  // a page read again keeps its place in the list
  for (let k = 0; k < pending; k++) items.push(el("li", {class: "pending", text: "Đang đọc…"}));
  const held = heldButton();
  $("#pages").replaceChildren(...items);
  renderGroupBar();
  refreshViewer(viewerPages(st));
  const r = state.refocus;
  if (r && intakeOrder(st).indexOf(r.index) === r.to) {  // moved: focus its button again to go on moving it
    const li = $(`#pages li[data-index="${r.index}"]`);
    const b = $(`button[data-move="${r.step}"]`, li);
    (b.disabled ? $(`button[data-move="${-r.step}"]`, li) : b).focus();
    state.refocus = null;
  } else if (held) {
    // Every live update redraws the list: the keyboard's place in it is kept, not dropped to the page's top.
    const li = $(`#pages li[data-index="${held.index}"]`);
    const b = li && $(held.move ? `button[data-move="${held.move}"]` : `[data-act="${held.act}"]`, li);
    if (b && !b.disabled) b.focus();
  }
}

function heldButton() {
  const a = document.activeElement;
  const li = a && (a.tagName === "BUTTON" || a.tagName === "INPUT") ? a.closest("#pages li[data-index]") : null;
  return li ? {index: li.dataset.index, move: a.dataset.move, act: a.dataset.act} : null;
}

// A new order of the pages handed in; the result's pages keep their places after them (the API wants them all).
function withResultPages(order) {
  const result = new Set(state.status.result_pages);
  return [...order, ...state.status.page_order.filter((i) => result.has(i))];
}

function shiftPage(i, step) {
  const order = intakeOrder(state.status);
  const pos = order.indexOf(i);
  if (pos + step < 0 || pos + step >= order.length) return;
  [order[pos], order[pos + step]] = [order[pos + step], order[pos]];
  state.refocus = {index: i, step, to: pos + step};
  arrange({order: withResultPages(order)});
}

async function arrange(body) {
  try { await api("PUT", `/api/dossiers/${state.dossier}/pages`, body); }
  catch (err) { toast(err.message, "error"); }
}

// Dropping page `from` on page `to` puts it just before `to`.
function movePage(from, to) {
  if (from === null || from === to) return;
  const order = intakeOrder(state.status).filter((i) => i !== from);
  order.splice(order.indexOf(to), 0, from);
  arrange({order: withResultPages(order)});
}

function toggleExcluded(i) {
  const ex = new Set(state.status.excluded_pages);
  if (ex.has(i)) ex.delete(i); else ex.add(i);
  arrange({excluded: [...ex]});
}

// The pages handed in, full size, in the officer's order (the rotation in the address: a turned page's new image).
function viewerPages(st) {
  const byIndex = Object.fromEntries(st.pages.map((p) => [p.index, p]));
  return intakeOrder(st).map((i, k) => ({src: `/api/dossiers/${st.dossier}/pages/${i}/clean.jpg?r=${byIndex[i].rotation}`,
                                         label: `Trang ${k + 1}`}));
}

// The viewer from the page at `pos`; the page shown can be turned there, and is shown again once read again.
function viewPages(pos) {
  const order = intakeOrder(state.status);
  const turn = {text: "↻ Xoay", label: "Xoay trang này 90° theo chiều kim đồng hồ",
                run: (at) => rotatePage(intakeOrder(state.status)[at])};
  openViewer(viewerPages(state.status), pos,
             () => $(`#pages li[data-index="${order[pos]}"] button.thumb`), [turn]);  // the list is redrawn live
}

async function rotatePage(i) {
  try {
    await api("POST", `/api/dossiers/${state.dossier}/pages/${i}/rotation`, {degrees: 90});
    toast("Đang đọc lại trang đã xoay…");
  } catch (err) { toast(err.message, "error"); }
}

function pickPage(i, on) {
  if (on) state.picked.add(i); else state.picked.delete(i);
  $(`#pages li[data-index="${i}"]`).classList.toggle("picked", on);
  renderGroupBar();
}

function typeOptions(selected) {
  const types = [...Object.entries(state.types).map(([code, t]) => ({code, name: t.name})), KHAC];
  return types.map((t) => el("option", {value: t.code, text: t.name, selected: t.code === selected}));
}

// Chosen pages made one document of a chosen type: a split (pages of one), a merge (pages of two), in page order.
function renderGroupBar() {
  const bar = $("#group-bar");
  bar.hidden = !state.picked.size;
  $("#group-count").textContent = `Đã chọn ${state.picked.size} trang, thành một giấy tờ loại`;
  const kept = $("#group-type").value || KHAC.code;  // the types arrive once; a redraw keeps the officer's choice
  if ($("#group-type").options.length !== Object.keys(state.types).length + 1) {
    $("#group-type").replaceChildren(...typeOptions(kept));
  }
}

async function groupPicked() {
  const pages = intakeOrder(state.status).filter((i) => state.picked.has(i));
  try {
    const out = await api("POST", `/api/dossiers/${state.dossier}/documents`, {pages, type: $("#group-type").value});
    state.picked.clear();
    toast("Đã tạo giấy tờ từ các trang đã chọn.", "ok");
    render(out.dossier);
  } catch (err) { toast(err.message, "error"); }
}

async function setType(docId, type) {
  try {
    await api("PUT", `/api/documents/${docId}/type`, {type});
    toast("Đã đổi loại giấy tờ.", "ok");
    render(await api("GET", `/api/dossiers/${state.dossier}`));
  } catch (err) { toast(err.message, "error"); }
}

// A bad page is replaced: the new scan is taken in, and the bad one is left out (kept in storage).
function rescan(i) {
  state.rescanPage = i;
  $("#rescan-file").value = "";
  $("#rescan-file").click();
}

// Scans on their way are shown with their bytes sent; meanwhile the receipt waits and leaving the page asks first.
function showUpload(sent, total) {
  const out = $("#upload-progress");
  out.hidden = total === null;
  if (total !== null) {
    out.textContent = `Đang tải lên: ${Math.floor((sent / Math.max(total, 1)) * 100)} % (${megabytes(sent)} / ${megabytes(total)})`;
  }
}

async function upload(files) {
  if (!state.dossier) { toast("Mở hồ sơ trước khi tải tệp lên.", "error"); return false; }
  if (!files.length) return false;
  const form = new FormData();
  let size = 0;
  for (const f of files) { form.append("files", f, f.name); size += f.size; }
  $("#refusals").replaceChildren();
  state.uploading += 1;
  showUpload(0, size);
  if (state.status) render(state.status);
  try {
    const res = await sendForm(`/api/dossiers/${state.dossier}/files`, form, showUpload, {accept: [415, 422]});
    const refused = res.files.filter((f) => f.error);
    $("#refusals").replaceChildren(...refused.map((f) => el("li", {text: `${f.name}: ${f.reason_vi || f.reason}` +
      (f.stored ? " (tệp gốc đã được lưu)" : "")})));
    const pages = res.files.reduce((n, f) => n + (f.pages || 0), 0);
    if (pages) toast(`Đã nhận ${pages} trang, đang xử lý…`, "ok");
    return res.files.some((f) => !f.error);
  } catch (err) { toast(err.message, "error"); return false; }
  finally {
    state.uploading -= 1;
    if (!state.uploading) showUpload(0, null);
    if (state.status) render(state.status);
  }
}

// What the counter must see before the receipt: papers that disagree, papers a reviewer rejected, papers the
// procedure does not ask for, fields to check. Missing components are in the checklist itself.
function warningText(w, st) {
  const doc = st.documents[w.document];
  switch (w.code) {
    case "documents_disagree":
      return "Các giấy tờ ghi khác nhau: " + [...new Set(w.readings.map((r) => fieldText(String(r.value))))].join(" / ");
    case "document_rejected":
      return `${w.name} bị từ chối khi kiểm tra${w.reason ? ` (${w.reason})` : ""}: cần nộp lại.`;
    case "document_of_another_person":
      return `${w.name} ghi ${[...w.names, ...w.id_numbers].join(", ")}, không phải công dân của hồ sơ: kiểm tra lại.`;
    case "document_not_in_procedure":
      return `${w.name} không thuộc thành phần nào của thủ tục: chọn thành phần hoặc bỏ trang.`;
    case "field_invalid":  // a value taken from elsewhere is a note for the reviewer; one that failed its checks is said
      return doc && (doc.fields[w.field] || {}).valid === false
        ? `${doc.name}: có trường chưa hợp lệ, người kiểm tra sẽ xem lại.` : null;
    default:
      return null;
  }
}

function renderWarnings(st) {
  const texts = [...new Set(st.warnings.map((w) => warningText(w, st)).filter(Boolean))];
  $("#dossier-warnings").hidden = !texts.length;
  $("#dossier-warnings").replaceChildren(...texts.map((x) => el("li", {class: "warn-item", text: x})));
}

function renderChecklist(st) {
  if (!st.checklist.length) {
    $("#checklist").replaceChildren(el("li", {class: "muted", text: "Hồ sơ không theo thủ tục: không có danh mục."}));
    return;
  }
  $("#checklist").replaceChildren(...st.checklist.map((c) => {
    const how = [...c.documents.map((i) => {
      const d = st.documents[i];
      const pages = d.pages.map((p) => intakeOrder(st).indexOf(p) + 1);
      return `bản quét (trang ${pages.join(", ")})`;
    }), ...c.reused.map(() => "dùng lại từ kho dữ liệu")];
    const cls = c.satisfied ? "ok" : c.required ? "missing" : "";
    return el("li", {class: cls},
      el("span", {class: "tick", "aria-hidden": "true", text: c.satisfied ? "✓" : c.required ? "✗" : "○"}),
      el("span", {},
        el("span", {text: c.name}), " ",
        el("span", {class: "badge " + (c.satisfied ? "ok" : c.required ? "bad" : ""),
                    text: c.satisfied ? (how.length ? "Đã có" : "Đã xuất trình") : c.required ? "Còn thiếu" : "Không bắt buộc"}),
        el("span", {class: "how", text: how.join("; ")})));
  }));
}

function renderDocuments(st) {
  const proc = state.procedures.find((p) => p.code === st.procedure);
  const docs = st.documents.filter((d) => !d.is_result);
  if (!docs.length) {
    $("#documents").replaceChildren(el("li", {class: "muted", text: "Chưa có."}));
    return;
  }
  $("#documents").replaceChildren(...docs.map((d) => {
    const pages = d.pages.map((p) => intakeOrder(st).indexOf(p) + 1).join(", ");
    const select = proc ? el("select", {"aria-label": `Thành phần của ${d.name}`,
                                        onchange: (e) => assign(d.id, e.target.value || null)},
      el("option", {value: "", text: "Thành phần: tự nhận dạng", selected: !d.component}),
      proc.components.map((c) => el("option", {value: c.key, text: c.name, selected: d.component === c.key}))) : null;
    const decided = d.state === "rejected" ? el("span", {class: "badge bad", text: "Bị từ chối"}) :
      d.state === "approved" ? el("span", {class: "badge ok", text: "Đã duyệt"}) : null;
    const type = el("select", {"aria-label": `Loại giấy tờ của ${d.name}`, disabled: Boolean(decided),
                               onchange: (e) => setType(d.id, e.target.value)}, typeOptions(d.type));
    return el("li", {}, el("strong", {text: d.name}), " ", decided, " ",
              el("span", {class: "muted small", text: `trang ${pages}` + (d.grouped_by ? " · sắp xếp tay" : "")}),
              type, select);
  }));
}

function renderResults(st) {
  $("#results").replaceChildren(...(st.results.length ? st.results.map((r) => el("li", {class: r.replaced_by ? "replaced" : ""},
    el("strong", {text: r.name || "Kết quả"}), " ",
    r.replaced_by ? el("span", {class: "badge", text: "Đã được thay"}) :
      el("span", {class: "badge " + (r.digitized ? "ok" : "warn"), text: r.digitized ? "Đã số hóa" : "Không số hóa"}),
    el("span", {class: "muted", text: ` ${fmtDate(r.issued_at)} · ${r.issued_by}` +
                (r.collector ? ` · người nhận: ${r.collector.name}` : "")})))
    : [el("li", {class: "muted", text: "Chưa trả kết quả."})]));
  const recorded = st.results.some((r) => !r.replaced_by);
  $("#replace-box").hidden = !recorded;
  if (!recorded) $("#result-replaces").checked = false;
  $("#result-pages").textContent = st.result_pages.length ? `Bản quét kết quả: ${st.result_pages.length} trang.` : "";
}

function showResultFile() {
  const f = $("#result-file").files[0];
  $("#result-file-name").textContent = f ? f.name : "chưa chọn tệp";
}

// The paper the procedure issued, handed to the citizen: recorded, and digitized when its scan comes with it, so
// it reaches the citizen's repository after review (the share of results digitized is a figure leaders report).
async function issueResult() {
  const button = $("#issue-result");
  if (button.disabled) return;  // a second click while the first is on its way (or asked about) records nothing
  const name = $("#collector-name").value.trim();
  if (!name) {
    toast("Cần ghi họ tên người nhận kết quả.", "error");
    $("#collector-name").focus();
    return;
  }
  button.disabled = true;
  try {
    await recordResult($("#result-file").files[0], name);
  } finally {
    button.disabled = false;
  }
}

async function recordResult(file, name) {
  if (!file && !await askInPage("Chưa chọn bản quét giấy tờ kết quả. Ghi nhận trả kết quả mà không số hóa?",
                                "Ghi nhận, không số hóa")) return;
  const form = new FormData();
  if (file) form.append("files", file, file.name);
  form.append("collector_name", name);
  if ($("#collector-id").value.trim()) form.append("collector_id", $("#collector-id").value.trim());
  if ($("#result-replaces").checked) form.append("replaces", "true");
  try {
    const r = await api("POST", `/api/dossiers/${state.dossier}/results`, form);
    $("#result-file").value = "";
    $("#collector-name").value = "";
    $("#collector-id").value = "";
    $("#result-replaces").checked = false;
    showResultFile();
    toast(r.digitized ? "Đã ghi nhận trả kết quả, đang số hóa…" : "Đã ghi nhận trả kết quả.", "ok");
    render(await api("GET", `/api/dossiers/${state.dossier}`));
    loadAwaiting();
  } catch (err) {
    // A scan that cannot be read records nothing: the officer chooses another one (the refused file is kept).
    const f = err.body && err.body.file;
    toast(f ? `${f.name}: ${err.message}` + (f.stored ? " (tệp gốc đã được lưu)" : "") +
              ". Chưa ghi nhận trả kết quả: chọn bản quét khác." : err.message, "error");
  }
}

async function assign(docId, component) {
  try {
    await api("PUT", `/api/documents/${docId}/component`, {component});
    render(await api("GET", `/api/dossiers/${state.dossier}`));
  } catch (err) { toast(err.message, "error"); }
}

async function finish() {
  const st = state.status;
  const missing = st.checklist.filter((c) => c.required && !c.satisfied).map((c) => c.name);
  if (!st.handling.outcome && missing.length &&
      !await askInPage(`Hồ sơ còn thiếu: ${missing.join("; ")}. Vẫn in giấy tiếp nhận? ` +
                       "(Chọn «Yêu cầu bổ sung» để in phiếu yêu cầu bổ sung.)", "Vẫn in giấy tiếp nhận")) return;
  location.href = finishUrl(st);
}

// A one-time code lets the citizen log in to see their papers without a password set at the counter.
async function citizenCode() {
  const id = state.status && state.status.citizen_id;
  if (!id) return;
  try {
    const c = await api("POST", `/api/citizens/${id}/code`);
    const out = $("#citizen-code-out");
    out.hidden = false;
    out.replaceChildren("Mã đăng nhập dùng một lần của công dân: ", el("strong", {class: "otp", text: c.code}),
      ` (hết hạn lúc ${fmtDate(c.expires_at).split(" ").pop()}). Công dân đăng nhập bằng số định danh và mã này.`);
  } catch (err) { toast(err.message, "error"); }
}

// The dossiers whose result is promised and not handed over yet, the earliest due first: what to return next.
async function loadAwaiting() {
  try {
    const rows = await api("GET", "/api/dossiers?awaiting_result=true&limit=30");
    const today = todayIso();
    const late = rows.filter((d) => d.due_date < today).length;
    $("#awaiting-count").textContent = late ? `${rows.length} · ${late} quá hạn` : String(rows.length);
    $("#awaiting-count").className = "badge" + (late ? " bad" : "");
    $("#awaiting").replaceChildren(...(rows.length ? rows.map((d) => el("li", {},
      el("a", {href: `/quay?ho-so=${d.id}&viec=tra-ket-qua`, text: d.code}), " ",
      el("span", {class: "badge " + (d.due_date < today ? "bad" : d.due_date === today ? "warn" : ""),
                  text: d.due_date < today ? "Quá hạn" : d.due_date === today ? "Hẹn hôm nay" : fmtDay(d.due_date)}),
      el("span", {class: "muted", text: ` ${d.procedure || ""} ${d.citizen_id || ""}`}),
      d.due_date < today ? el("button", {type: "button", class: "link", text: "Xin lỗi, hẹn lại",
        onclick: () => openOutcome("delay", d.id)}) : ""))
      : [el("li", {class: "muted", text: "Không có hồ sơ chờ trả."})]));
  } catch (err) { /* the list is a convenience */ }
}

async function loadRecent() {
  try {
    const rows = await api("GET", "/api/dossiers?limit=15");
    $("#recent").replaceChildren(...rows.map((d) => el("li", {},
      el("a", {href: `/quay?ho-so=${d.id}`, text: d.code}), " ",
      el("span", {class: "muted", text: `${d.procedure || ""} ${d.citizen_id || ""}`}))));
  } catch (err) { /* the list is a convenience */ }
}

function wireDrop() {
  const drop = $("#drop");
  drop.addEventListener("dragover", (e) => { if (e.dataTransfer.types.includes("Files")) { e.preventDefault(); drop.classList.add("over"); } });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); upload(e.dataTransfer.files); });
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") $("#files").click(); });
  $("#files").addEventListener("change", async (e) => { await upload(e.target.files); e.target.value = ""; });
  $("#rescan-file").addEventListener("change", async (e) => {
    const bad = state.rescanPage;
    if (await upload(e.target.files) && bad !== null) {
      await arrange({excluded: [...new Set([...state.status.excluded_pages, bad])]});
    }
    state.rescanPage = null;
  });
}

// Leaving or reloading the page while scans are on their way would lose them: the browser asks first.
window.addEventListener("beforeunload", (e) => {
  if (state.uploading) {
    e.preventDefault();
    e.returnValue = "";
  }
});

document.addEventListener("DOMContentLoaded", async () => {
  // A hit, or a receipt's code read by the scanner, opens its dossier as the lists below do: /quay?ho-so=…
  wireSearch({scanner: true});
  wireDrop();
  $("#proc-search").addEventListener("input", pickProcedure);
  $("#citizen-id").addEventListener("input", () => { if (idValid($("#citizen-id").value.trim()) || !$("#citizen-id").value) lookUpCitizen(); });
  $("#open-dossier").onclick = openDossier;
  $("#citizen-id").addEventListener("keydown", (e) => { if (e.key === "Enter") openDossier(); });
  $("#new-dossier").onclick = () => { location.href = "/quay"; };
  $("#finish").onclick = finish;
  $("#citizen-code").onclick = citizenCode;
  $("#issue-result").onclick = issueResult;
  $("#result-file").addEventListener("change", showResultFile);
  $("#group-save").onclick = groupPicked;
  $("#group-clear").onclick = () => { state.picked.clear(); render(state.status); };
  api("GET", "/api/document-types").then((t) => { state.types = t; if (state.status) render(state.status); })
    .catch((err) => toast(err.message, "error"));
  state.catalog = loadProcedures();
  await state.catalog;
  pickProcedure();  // the officer may have typed before the list arrived
  loadRecent();
  loadAwaiting();
  const id = new URLSearchParams(location.search).get("ho-so");
  if (id) showDossier(id).catch((err) => toast(err.message, "error"));
  else publishKiosk(null).catch(() => {});  // no dossier open: the rating screen waits
});
