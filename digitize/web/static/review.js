// The review screen: the queue (riskiest first), a document's page with each field's box over it (SVG), the
// fields beside it coloured by confidence and validation; keyboard first: Tab between fields, Enter to accept
// (saving a change), Ctrl+Enter to approve (a paper with no fields asks first). The pages full size in the viewer;
// the document split, merged with another or given another type; rejection for a reason from a list, in the page;
// the day's decisions undone.
"use strict";

const PROBLEMS_VI = {
  id_not_12_digits: "Số định danh không đủ 12 chữ số",
  id_unknown_province: "Mã tỉnh trong số định danh không có",
  id_bad_century_digit: "Chữ số thế kỷ/giới tính không hợp lệ",
  id_birth_year_mismatch: "Năm sinh không khớp số định danh",
  id_sex_mismatch: "Giới tính không khớp số định danh",
  invalid_date: "Ngày không hợp lệ",
  date_in_future: "Ngày ở tương lai",
  date_too_old: "Ngày quá xa",
  year_out_of_range: "Năm không hợp lệ",
  weight_out_of_range: "Cân nặng bất thường",
  address_unfinished: "Địa chỉ chưa hết (thiếu tỉnh/thành phố): có thể mất dòng cuối, xem lại",
  expiry_not_a_renewal_birthday: "Ngày hết hạn không phải sinh nhật tuổi 14, 25, 40 hoặc 60: ngày sinh hoặc ngày hết hạn đọc sai, xem lại cả hai",
  ocr_disagrees_with_qr: "Chữ đọc được khác mã QR (đã lấy theo QR)",
  ocr_disagrees_with_mrz: "Chữ đọc được khác dòng mã MRZ mặt sau thẻ: xem lại",
  name_marks_from_dossier: "Họ tên theo dòng MRZ, dấu lấy từ giấy tờ khác trong hồ sơ: xem lại",
  name_pieced_from_mrz: "Họ tên ghép từ chữ in trên thẻ và dòng MRZ, mỗi bên lệch một chữ cái: xem lại",
  spelling_from_dossier: "Sửa theo cách viết trên giấy tờ khác trong hồ sơ (bản đọc được ở đây khác đôi chút): xem lại",
  spelling_disputed: "Giấy tờ khác trong hồ sơ ghi cùng tên/địa chỉ này với dấu khác, cũng đọc rõ: một trong hai đọc sai dấu, đối chiếu ảnh",
  id_number_from_dossier: "Số định danh lấy theo giấy tờ khác trong hồ sơ (bản đọc được ở đây sai một chữ số): xem lại",
  id_number_from_holder: "Số định danh trên thẻ không đọc được: lấy theo giấy tờ khác trong hồ sơ ghi cùng họ tên: xem lại",
  name_from_holder: "Họ tên trên thẻ không đọc được: lấy theo giấy tờ khác trong hồ sơ ghi cùng số định danh: xem lại",
  name_from_dossier: "Họ tên đọc được thiếu họ: lấy đủ theo giấy tờ khác trong hồ sơ ghi cùng số định danh: xem lại",
  place_from_holder: "Địa chỉ trên thẻ đọc không rõ: lấy theo địa chỉ giấy tờ khác ghi cho chủ thẻ, thấy được trong chữ đọc trên thẻ: đối chiếu ảnh thẻ",
  place_by_units: "Không đọc được nhãn Quê quán trên thẻ: lấy dòng có đủ xã/phường, quận/huyện, tỉnh/thành phố (không phải nơi thường trú): đối chiếu ảnh thẻ",
  sex_from_id_number: "Giới tính trên thẻ không đọc được: lấy theo chữ số thứ 4 của số định danh (chẵn: Nam, lẻ: Nữ): xem lại",
  expiry_by_birth_date: "Ngày hết hạn đọc lệch một, hai chữ số: lấy theo sinh nhật tuổi 25, 40 hoặc 60 của chủ thẻ gần nhất với chữ đọc được: đối chiếu ảnh thẻ",
  birth_date_by_number: "Ngày sinh đọc không rõ: lấy năm sinh theo số định danh (chữ số 4–6), ngày tháng theo ngày hết hạn của thẻ nếu cần: đối chiếu ảnh thẻ",
  nationality_from_dossier: "Quốc tịch không đọc được: lấy theo thẻ căn cước của người này trong hồ sơ (công dân Việt Nam), hoặc con có cha mẹ đều là công dân Việt Nam (Luật Quốc tịch, Điều 15): xem lại",
  value_by_law: "Thẻ căn cước chỉ cấp cho công dân Việt Nam: quốc tịch là Việt Nam (chữ đọc được không rõ hoặc khác)",
  value_from_dossier: "Lấy theo giấy tờ khác trong hồ sơ đọc được chắc chắn (ở đây không đọc được hoặc lệch một chữ số): xem lại",
  figures_disagree_with_words: "Ngày ghi bằng số khác ngày ghi bằng chữ (đã lấy theo chữ): xem lại",
  same_person_as_requester: "Người yêu cầu là cha/mẹ: tờ khai ghi người này hai lần, hai chỗ đọc lệch nhau: đã lấy theo chỗ đọc chắc hơn (hoặc đủ chữ hơn): xem lại",
  relationship_from_names: "Dòng quan hệ với người được khai sinh đọc không ra: tên người yêu cầu trùng tên cha/mẹ nên lấy quan hệ là cha/mẹ: xem lại",
  surname_from_parent: "Họ của trẻ đọc không ra họ nào: lấy theo họ của cha hoặc mẹ (lệch một chữ cái): xem lại",
  id_number_digit_dropped: "Số định danh đọc thừa một chữ số: đã bỏ chữ số duy nhất khớp năm sinh, xem lại",
};
const LOW = 0.9;   // below: amber, worth a look
const BAD = 0.6;   // below: red
const SVGNS = "http://www.w3.org/2000/svg";

const R = {types: {}, queue: [], doc: null, opening: 0, page: null, pageSize: {}, active: null, reasons: [],
           decided: []};
const KHAC = {code: "khac", name: "Giấy tờ khác"};
const DECIDABLE = ["extracted", "reviewed"];
const DOC_STATE_VI = {approved: "đã duyệt", rejected: "đã từ chối"};
const DECIDED_SHOWN = 5;  // the day's latest decisions offered for undoing  // what no type of the catalog is: a choice too

function problemText(code) {
  if (code.startsWith("unreadable_")) return "Không đọc được giá trị";
  return PROBLEMS_VI[code] || code;
}

function fieldClass(f, key) {
  if (!f || f.value === null || f.value === undefined) return "bad";
  if (f.corrected || R.accepted.has(key)) return "done";
  if (f.valid === false) return "bad";
  if (f.confidence < BAD) return "bad";
  if (f.confidence < LOW) return "low";
  return "ok";
}

async function loadQueue(selectFirst = false) {
  R.queue = await api("GET", "/api/review/queue");
  $("#queue").replaceChildren(...(R.queue.length ? R.queue.map((q) => el("li", {},
    el("button", {type: "button", "data-id": q.id, "aria-current": R.doc && R.doc.id === q.id ? "true" : "false",
                  onclick: () => openDoc(q.id)},
      el("span", {class: "q-name", text: q.name}),
      el("span", {class: "q-meta", text: `${q.dossier_code} · ${q.owner_id || "chưa có số định danh"}`}),
      el("span", {class: "badges"},
        q.invalid_fields ? el("span", {class: "badge bad", text: `${q.invalid_fields} trường sai`}) : null,
        el("span", {class: "badge " + (q.min_confidence < BAD ? "bad" : q.min_confidence < LOW ? "warn" : "ok"),
                    text: `tin cậy ${Math.round(q.min_confidence * 100)}%`}),
        q.is_result ? el("span", {class: "badge", text: "kết quả"}) : null))))
    : [el("li", {class: "muted", text: "Không còn giấy tờ nào chờ kiểm tra."})]));
  if (selectFirst && R.queue.length && !R.doc) openDoc(R.queue[0].id);
}

async function openDoc(id) {
  // The latest document asked for stands: the first of the queue, opened as the page loads, may arrive after the
  // one the reviewer clicked meanwhile, and showed in its place (its fields, its pages, its approve button).
  const asked = ++R.opening;
  const doc = await api("GET", `/api/documents/${id}`);
  if (asked !== R.opening) return;
  R.doc = doc;
  R.accepted = new Set();
  R.active = null;
  const pages = R.doc.page_indexes;
  $("#h-doc").textContent = `${R.doc.name} · hồ sơ ${R.doc.dossier_code}`;
  $("#page-tabs").replaceChildren(...(pages.length > 1 ? pages.map((p, k) => el("button", {
    type: "button", role: "tab", "aria-selected": "false", "data-page": p, text: `Trang ${k + 1}`,
    onclick: () => showPage(p)})) : []));
  $("#doc-meta").textContent = `Chủ giấy tờ: ${R.doc.owner_id || "chưa xác định"}` +
    (R.doc.signed_by ? ` · đã ký số bởi ${R.doc.signed_by}` : "");
  renderOwnerCheck(R.doc);
  // A paper found by the search may be decided already, or another agency's reused here: shown, not decided again.
  const open = DECIDABLE.includes(R.doc.state);
  $("#approve").disabled = $("#reject").disabled = !open;
  $("#view-large").disabled = false;
  if (!open) $("#doc-meta").textContent += ` · ${DOC_STATE_VI[R.doc.state] || R.doc.state}`;
  await showPage(pages[0]);
  if (asked !== R.opening) return;
  $("#regroup").hidden = true;
  if (open) renderRegroup(R.doc).catch((err) => toast(err.message, "error"));
  renderFields();
  $$("#queue button").forEach((b) => b.setAttribute("aria-current", Number(b.dataset.id) === id ? "true" : "false"));
  const first = $("#fields input");
  if (first) first.focus();
}

async function showPage(index) {
  R.page = index;
  for (const t of $$("#page-tabs [role=tab]")) t.setAttribute("aria-selected", Number(t.dataset.page) === index);
  if (!R.pageSize[`${R.doc.dossier}/${index}`]) {
    const meta = await api("GET", `/api/dossiers/${R.doc.dossier}/pages/${index}`);
    R.pageSize[`${R.doc.dossier}/${index}`] = [meta.width_px, meta.height_px];
  }
  drawPage();
}

function drawPage() {
  const [w, h] = R.pageSize[`${R.doc.dossier}/${R.page}`];
  const svg = $("#viewer");
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const img = document.createElementNS(SVGNS, "image");
  img.setAttribute("href", `/api/dossiers/${R.doc.dossier}/pages/${R.page}/clean.jpg`);
  img.setAttribute("width", w);
  img.setAttribute("height", h);
  svg.append(img);
  for (const [key, f] of Object.entries(R.doc.fields)) {
    if (!f.box || f.page !== R.page) continue;
    const [x, y, bw, bh] = f.box;
    const rect = document.createElementNS(SVGNS, "rect");
    rect.setAttribute("x", x - 6); rect.setAttribute("y", y - 6);
    rect.setAttribute("width", bw + 12); rect.setAttribute("height", bh + 12);
    rect.setAttribute("class", `box ${fieldClass(f, key)}${R.active === key ? " active" : ""}`);
    rect.dataset.key = key;
    const title = document.createElementNS(SVGNS, "title");
    title.textContent = labelOf(key);
    rect.append(title);
    rect.addEventListener("click", () => { const i = inputOf(key); if (i) i.focus(); });
    svg.append(rect);
  }
}

// Zooming is a change of the SVG's viewBox: the image and the boxes move together.
function zoomTo(key) {
  const f = R.doc.fields[key];
  if (!f || !f.box) return;
  if (f.page !== R.page) { showPage(f.page).then(() => zoomTo(key)); return; }
  const [w, h] = R.pageSize[`${R.doc.dossier}/${R.page}`];
  const [x, y, bw, bh] = f.box;
  const vw = Math.min(w, Math.max(bw * 1.6, w * 0.45));
  const vh = Math.min(h, vw * 0.75);
  const vx = Math.max(0, Math.min(w - vw, x + bw / 2 - vw / 2));
  const vy = Math.max(0, Math.min(h - vh, y + bh / 2 - vh / 2));
  $("#viewer").setAttribute("viewBox", `${vx} ${vy} ${vw} ${vh}`);
}

function resetZoom() {
  const [w, h] = R.pageSize[`${R.doc.dossier}/${R.page}`] || [0, 0];
  if (w) $("#viewer").setAttribute("viewBox", `0 0 ${w} ${h}`);
}

function labelOf(key) {
  const t = R.types[R.doc.type];
  const f = t && t.fields.find((x) => x.key === key);
  return f ? f.label : key;
}

function inputOf(key) { return $(`#fields input[data-key="${key}"]`); }

function fieldKeys() {
  const t = R.types[R.doc.type];
  const keys = t ? t.fields.map((f) => f.key) : [];
  for (const k of Object.keys(R.doc.fields)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function renderFields() {
  const form = $("#fields");
  form.replaceChildren(...fieldKeys().map((key) => {
    const f = R.doc.fields[key];
    const id = `f-${key}`;
    const conf = f && f.value !== null && f.value !== undefined ? `${Math.round(f.confidence * 100)}%` : "chưa đọc được";
    return el("div", {class: `field ${fieldClass(f, key)}`, "data-key": key},
      el("label", {for: id, text: labelOf(key)}),
      el("span", {class: "conf", text: f && f.corrected ? "đã sửa" : conf}),
      el("input", {id, "data-key": key, value: f && f.value !== null && f.value !== undefined ? fieldText(f.value) : "",
                   "data-original": f && f.value !== null && f.value !== undefined ? fieldText(f.value) : "",
                   "aria-invalid": f && f.valid === false ? "true" : "false"}),
      f && f.problems ? el("span", {class: "prob", text: f.problems.map(problemText).join("; ")}) : null);
  }));
}

function focusField(key) {
  R.active = key;
  $$(".viewer rect.box").forEach((r) => r.classList.toggle("active", r.dataset.key === key));
  zoomTo(key);
}

// Enter: a changed value is saved as a correction (normalised by the server); an unchanged one is accepted.
async function accept(input) {
  const key = input.dataset.key;
  const value = input.value.trim();
  if (value !== input.dataset.original) {
    try {
      R.doc = await api("PUT", `/api/documents/${R.doc.id}/fields/${key}`, {value});
      toast(`Đã sửa “${labelOf(key)}”`, "ok");
    } catch (err) { toast(err.message, "error"); input.select(); return; }
  } else {
    R.accepted.add(key);
  }
  const keys = fieldKeys();
  renderFields();
  drawPage();
  const next = keys[keys.indexOf(key) + 1];
  const target = next ? inputOf(next) : $("#approve");
  target.focus();
}

// A paper that names other people than the dossier's citizen (another requester, a stranger's certificate) is
// not filed in the citizen's repository until the reviewer says whose it is.
function renderOwnerCheck(doc) {
  const who = doc.other_person;
  $("#owner-check").hidden = !who;
  for (const r of $$("#owner-check input[type=radio]")) r.checked = false;
  $("#owner-other").value = "";
  if (!who) return;
  const seen = [...who.names, ...who.id_numbers.map((n) => `số định danh ${n}`)].join(", ");
  $("#owner-seen").textContent = `Giấy tờ ghi: ${seen}, không phải công dân của hồ sơ.`;
  $("#owner-citizen").textContent = `Của công dân của hồ sơ (${doc.owner_id})`;
}

// The owner the reviewer chose, "" when the paper needs no choice, or null when one is missing.
function chosenOwner() {
  if (!R.doc.other_person) return "";
  const choice = $("#owner-check input[type=radio]:checked");
  if (!choice) return null;
  if (choice.value === "citizen") return R.doc.owner_id;
  const other = $("#owner-other").value.trim();
  return /^\d{12}$/.test(other) ? other : null;
}

// `byKey`: Ctrl+Enter. A paper with no fields (a letter, "Giấy tờ khác") has nothing a reviewer checked field by
// field: a habit's Ctrl+Enter does not file it into the citizen's repository without a yes in the page.
async function approve(byKey = false) {
  if (!R.doc) return;
  const owner_id = chosenOwner();
  if (owner_id === null) {
    toast("Hãy chọn giấy tờ này của ai (số định danh 12 chữ số) trước khi duyệt.", "error");
    $("#owner-check input[type=radio]").focus();
    return;
  }
  if (byKey && !fieldKeys().length &&
      !await askInPage(`“${R.doc.name}” không có trường dữ liệu nào để kiểm tra. Duyệt và đưa giấy tờ này vào kho ` +
                       "dữ liệu của công dân?", "Duyệt giấy tờ", "Chưa duyệt")) return;
  let accept_invalid = false;
  const bad = Object.entries(R.doc.fields).filter(([, f]) => f.valid === false).map(([k]) => labelOf(k));
  if (bad.length) {
    if (!await askInPage(`Các trường còn chưa hợp lệ: ${bad.join("; ")}. Vẫn duyệt giấy tờ này?`, "Vẫn duyệt",
                         "Xem lại")) return;
    accept_invalid = true;
  }
  try {
    await api("POST", `/api/documents/${R.doc.id}/approve`, owner_id ? {accept_invalid, owner_id} : {accept_invalid});
    toast(`Đã duyệt ${R.doc.name}: đã vào kho dữ liệu của công dân.`, "ok");
    decided(R.doc, "approved");
    await next();
  } catch (err) { toast(err.message, "error"); }
}

// Rejection in the page: a reason from the list, and words (needed for "Khác").
function reject() {
  if (!R.doc) return;
  $("#reject-reasons").replaceChildren(el("legend", {class: "small", text: "Lý do từ chối"}),
    ...R.reasons.map((r, k) => el("label", {class: "check small"},
      el("input", {type: "radio", name: "reject-code", value: r.code, checked: k === 0}), " ", r.label)));
  $("#reject-text").value = "";
  $("#reject-error").textContent = "";
  $("#reject-dialog").showModal();
  $("#reject-reasons input:checked").focus();
}

async function sendRejection(e) {
  e.preventDefault();
  const code = ($("#reject-reasons input:checked") || {}).value;
  const reason = $("#reject-text").value.trim();
  if (!code) { $("#reject-error").textContent = "Hãy chọn một lý do."; return; }
  if (code === "other" && !reason) {
    $("#reject-error").textContent = "Lý do “Khác”: hãy ghi rõ lý do.";
    $("#reject-text").focus();
    return;
  }
  try {
    await api("POST", `/api/documents/${R.doc.id}/reject`, {code, reason});
    $("#reject-dialog").close();
    toast(`Đã từ chối ${R.doc.name}.`, "ok");
    decided(R.doc, "rejected");
    await next();
  } catch (err) { $("#reject-error").textContent = err.message; }
}

// The reviewer's decisions of the day (from the server: a reload keeps them), each undone with a click (the
// server refuses after the day ends).
function decided(doc, state) {
  R.decided = [{id: doc.id, name: doc.name, dossier_code: doc.dossier_code, state},
               ...R.decided.filter((d) => d.id !== doc.id)];
  renderDecided();
}

function renderDecided() {
  $("#decided").replaceChildren(...R.decided.slice(0, DECIDED_SHOWN).map((d) => el("li", {},
    el("span", {text: `${d.state === "approved" ? "Đã duyệt" : "Đã từ chối"}: ${d.name} · ${d.dossier_code}`}),
    el("button", {type: "button", class: "shrink", text: "Hoàn tác", "aria-label": `Hoàn tác quyết định: ${d.name}`,
                  onclick: () => undo(d)}))));
}

async function undo(d) {
  try {
    await api("POST", `/api/documents/${d.id}/undo`);
    toast(`Đã hoàn tác: ${d.name} chờ kiểm tra lại.`, "ok");
    R.decided = R.decided.filter((x) => x.id !== d.id);
    renderDecided();
    await loadQueue();
    await openDoc(d.id);
  } catch (err) { toast(err.message, "error"); }
}

// The pages of the document (ticked), the other undecided papers of its dossier to merge in, and a type: saved as
// one document of that type (POST /api/dossiers/{id}/documents). Unticking pages splits them off; another type
// alone is a change of type.
async function renderRegroup(doc) {
  const st = await api("GET", `/api/dossiers/${doc.dossier}`);
  if (!R.doc || R.doc.id !== doc.id) return;
  const others = st.documents.filter((x) => x.id !== doc.id && !x.is_result && ["extracted", "reviewed"].includes(x.state));
  $("#regroup-pages").replaceChildren(el("legend", {class: "small", text: "Các trang thành một giấy tờ"}),
    ...doc.page_indexes.map((p, k) => el("label", {class: "check"},
      el("input", {type: "checkbox", checked: true, "data-pages": JSON.stringify([p])}), ` Trang ${k + 1} của giấy tờ này`)),
    ...others.map((x) => el("label", {class: "check"},
      el("input", {type: "checkbox", "data-pages": JSON.stringify(x.pages)}),
      ` Gộp thêm: ${x.name} (${x.pages.length} trang)`)));
  const types = [...Object.entries(R.types).map(([code, t]) => ({code, name: t.name})), KHAC];
  $("#regroup-type").replaceChildren(...types.map((t) => el("option", {value: t.code, text: t.name, selected: t.code === doc.type})));
  $("#regroup").hidden = false;
}

async function regroup() {
  const pages = $$("#regroup-pages input:checked").flatMap((i) => JSON.parse(i.dataset.pages));
  const type = $("#regroup-type").value;
  if (!pages.length) { toast("Hãy chọn ít nhất một trang.", "error"); return; }
  try {
    const out = await api("POST", `/api/dossiers/${R.doc.dossier}/documents`, {pages, type});
    toast("Đã lưu giấy tờ theo các trang đã chọn.", "ok");
    $("#regroup").open = false;
    await loadQueue();
    await openDoc(out.document);
  } catch (err) { toast(err.message, "error"); }
}

function viewLarge() {
  if (!R.doc) return;
  const pages = R.doc.page_indexes.map((p, k) => ({src: `/api/dossiers/${R.doc.dossier}/pages/${p}/clean.jpg`,
                                                    label: `${R.doc.name} – trang ${k + 1}`}));
  openViewer(pages, Math.max(0, R.doc.page_indexes.indexOf(R.page)), $("#view-large"));
}

// A hit of the search box, or a link of the dossier list (/kiem-tra?giay-to=…&trang=…, ?ho-so=…): the paper at the
// page found; for a dossier, its first paper still to check, else its first.
async function openFound({document_id, page_index, dossier_id, reused}) {
  try {
    const found = !reused && document_id;  // a paper reused from elsewhere: this agency's dossier instead
    const id = found || await firstPaper(dossier_id);
    if (!id) { toast("Hồ sơ này chưa có giấy tờ nào để kiểm tra.", "error"); return; }
    await openDoc(id);
    if (found && R.doc.page_indexes.includes(page_index)) await showPage(page_index);
  } catch (err) { toast(err.message, "error"); }
}

async function firstPaper(dossierId) {
  const docs = (await api("GET", `/api/dossiers/${encodeURIComponent(dossierId)}`)).documents;
  const first = docs.find((x) => DECIDABLE.includes(x.state)) || docs[0];
  return first ? first.id : null;
}

// What the address asks to open: {document_id, page_index, dossier_id}, or null.
function askedFor() {
  const q = new URLSearchParams(location.search);
  if (!q.get("giay-to") && !q.get("ho-so")) return null;
  const page = q.get("trang");
  return {document_id: Number(q.get("giay-to")) || null, page_index: page === null ? null : Number(page),
          dossier_id: q.get("ho-so")};
}

async function next() {
  R.doc = null;
  $("#fields").replaceChildren();
  $("#viewer").replaceChildren();
  $("#page-tabs").replaceChildren();
  $("#h-doc").textContent = "Chọn một giấy tờ trong danh sách";
  $("#doc-meta").textContent = "";
  $("#owner-check").hidden = true;
  $("#regroup").hidden = true;
  $("#approve").disabled = $("#reject").disabled = $("#view-large").disabled = true;
  await loadQueue(true);
}

document.addEventListener("DOMContentLoaded", async () => {
  wireSearch({open: openFound});
  $("#fields").addEventListener("focusin", (e) => { if (e.target.dataset.key) focusField(e.target.dataset.key); });
  $("#fields").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); approve(true); }
    else if (e.key === "Enter") { e.preventDefault(); accept(e.target); }
    else if (e.key === "Escape") { e.target.value = e.target.dataset.original; }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.target.closest("#fields, dialog")) {
      e.preventDefault();
      approve(true);
    }
  });
  $("#fields").addEventListener("submit", (e) => e.preventDefault());
  $("#approve").onclick = () => approve();
  $("#reject").onclick = reject;
  $("#reject-form").addEventListener("submit", sendRejection);
  $("#reject-cancel").onclick = () => $("#reject-dialog").close();
  $("#reject-form").addEventListener("change", () => { $("#reject-error").textContent = ""; });
  $("#reject-dialog").addEventListener("close", () => { if ($("#reject").isConnected && !$("#reject").disabled) $("#reject").focus(); });
  $("#zoom-reset").onclick = resetZoom;
  $("#view-large").onclick = viewLarge;
  $("#viewer").addEventListener("dblclick", viewLarge);
  $("#regroup-save").onclick = regroup;
  R.types = await api("GET", "/api/document-types");
  R.reasons = await api("GET", "/api/review/reject-reasons");
  R.decided = await api("GET", "/api/review/decided");
  renderDecided();
  R.accepted = new Set();
  const asked = askedFor();
  await loadQueue(!asked);
  if (asked) await openFound(asked);
});
