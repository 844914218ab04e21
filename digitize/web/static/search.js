// The header's search box (counter, review, leader, citizen, the dossier list): hits as one types (GET /api/search),
// the words found marked, opened with a click or the keyboard (↓ ↑ between hits, Enter, Esc back to the box); and,
// where a page asks for it, the handheld scanner reading a receipt's QR or barcode: it types the dossier's code a
// few milliseconds a key, then Enter, into whatever has the focus.
"use strict";

const SEARCH_DELAY = 250;  // ms after the last key: one request per pause, not one per key
const SEARCH_PAGE = 20;

// A dossier's state as the API names it (GET /api/search's `status`, the list's filter), in Vietnamese.
const STAGE_VI = {received: "Mới tiếp nhận", processing: "Đang đọc trang", done: "Đã số hóa", failed: "Lỗi xử lý",
                  returned: "Đã trả kết quả", awaiting_result: "Chờ trả kết quả", supplement: "Yêu cầu bổ sung",
                  refused: "Từ chối tiếp nhận"};

// opts: href(hit) the address a hit opens (null: shown without a link), open(hit) to open it in the page instead,
// hint a line above the hits, status false to leave out the dossier's processing state (the citizen has their
// own words for it), scanner to take a scanned code typed anywhere but in a text field.
const FIND = {opts: {}, input: null, seq: 0, ctrl: null, timer: null, q: "", page: 0, busy: false};

// Where a hit opens for the staff: the dossier at the counter, the paper (at its page) in review, the control
// slip for a leader, who has no dossier screen. A paper reused from another agency's dossier opens as this
// agency's dossier that reused it: the other's pages are not this agency's to show.
function staffHref(hit) {
  const role = document.body.dataset.role;
  if (role === "counter") return `/quay?ho-so=${encodeURIComponent(hit.dossier_id)}`;
  if (role === "reviewer") {
    if (!hit.document_id || hit.reused) return `/kiem-tra?ho-so=${encodeURIComponent(hit.dossier_id)}`;
    return `/kiem-tra?giay-to=${hit.document_id}` + (hit.page_index === null ? "" : `&trang=${hit.page_index}`);
  }
  if (role === "leader" || role === "admin") return `/quay/phieu/kiem-soat/${encodeURIComponent(hit.dossier_id)}`;
  return null;
}

// The snippet's segments as text, the words found in <mark>: text nodes only, never the API's text as HTML.
function snippetNode(segments, cls = "hit-snippet") {
  return el("span", {class: cls}, segments.map((s) => (s.hit ? el("mark", {text: s.text}) : s.text)));
}

// Where in the dossier the words are: its procedure, the paper, the page (1-based, as the counter numbers them).
function hitPlace(hit) {
  const what = hit.kind === "dossier" ? "Thông tin hồ sơ" : hit.document_name || "Trang chưa thuộc giấy tờ nào";
  const page = hit.page_index === null || hit.page_index === undefined ? null : `trang ${hit.page_index + 1}`;
  return [hit.procedure_name || hit.procedure || "Không theo thủ tục", what, page].filter(Boolean).join(" · ");
}

function hitDates(hit) {
  const received = `nhận ${fmtDate(hit.received_at).split(" ")[0]}`;
  return hit.due_date ? `${received} · hẹn trả ${fmtDate(hit.due_date)}` : received;
}

function hitItem(hit) {
  const href = FIND.opts.href(hit);
  const body = [
    el("span", {class: "hit-head"},
      el("strong", {class: "hit-code", text: hit.dossier_code}),
      FIND.opts.status === false ? null : el("span", {class: "badge", text: STAGE_VI[hit.status] || hit.status}),
      hit.reused ? el("span", {class: "badge warn", text: "Giấy tờ dùng lại"}) : null,
      el("span", {class: "hit-dates", text: hitDates(hit)})),
    el("span", {class: "hit-where", text: hitPlace(hit)}),
    snippetNode(hit.snippet)];
  if (!href) return el("li", {}, el("div", {class: "hit", tabindex: "-1"}, body));
  return el("li", {}, el("a", {class: "hit", href, onclick: (e) => hitClicked(e, hit)}, body));
}

function hitClicked(e, hit) {
  if (!FIND.opts.open || e.ctrlKey || e.metaKey || e.shiftKey) return;  // a new tab still opens the address
  e.preventDefault();
  closeSearch(false);
  FIND.opts.open(hit);
}

// --- the panel under the box ---------------------------------------------------------------------------------

function showPanel(on) {
  $("#search-panel").hidden = !on;
  FIND.input.setAttribute("aria-expanded", String(on));
}

function searchMessage(text, kind = "") {
  $("#search-status").textContent = text;
  $("#search-status").className = "search-status " + kind;
  showPanel(true);
}

function closeSearch(refocus) {
  stopSearch();
  if (refocus) FIND.input.focus();  // first: the box's focus shows the hits again, the panel is then hidden
  showPanel(false);
}

// Whatever is on its way is dropped: an answer that comes later never replaces a newer one.
function stopSearch() {
  clearTimeout(FIND.timer);
  FIND.seq += 1;
  if (FIND.ctrl) FIND.ctrl.abort();
  FIND.ctrl = null;
}

function queueSearch() {
  stopSearch();
  const q = FIND.input.value.trim();
  if (!/[\p{L}\p{N}]/u.test(q)) {  // nothing to look for: no request, no panel, nothing kept to show again
    $("#search-hits").replaceChildren();
    showPanel(false);
    return;
  }
  FIND.timer = setTimeout(() => runSearch(q, 1), SEARCH_DELAY);
}

async function runSearch(q, page) {
  stopSearch();
  const seq = FIND.seq;
  FIND.ctrl = new AbortController();
  if (page === 1) searchMessage("Đang tìm…");
  try {
    const params = new URLSearchParams({q, page, per_page: SEARCH_PAGE});
    const found = await api("GET", "/api/search?" + params, undefined, {signal: FIND.ctrl.signal});
    if (seq !== FIND.seq) return;
    Object.assign(FIND, {q, page, ctrl: null});
    showHits(found, page > 1);
  } catch (err) {
    if (err.name === "AbortError" || seq !== FIND.seq) return;
    $("#search-hits").replaceChildren();
    $("#search-more").hidden = true;
    searchMessage(err.message, "error");
  }
}

function showHits(found, append) {
  const list = $("#search-hits");
  const first = list.children.length;
  if (!append) list.replaceChildren();
  list.append(...found.hits.map(hitItem));
  const shown = list.children.length;
  const said = [`${found.total} kết quả` + (shown < found.total ? `, đang xem ${shown}` : ""),
    found.more ? "Quá nhiều kết quả: chỉ xếp hạng 2000 mục mới nhất, hãy gõ thêm từ" : null, FIND.opts.hint];
  searchMessage(found.total ? said.filter(Boolean).join(". ") + (said.some((x, k) => k && x) ? "." : "")
    : `Không tìm thấy kết quả nào cho «${found.query}».`, found.total ? "" : "empty");
  $("#search-more").hidden = shown >= Math.min(found.total, 2000);
  if (append && list.children[first]) $(".hit", list.children[first]).focus();  // on where "Xem thêm" led
}

// ↓ ↑ move between the hits (and "Xem thêm"), ↑ from the first goes back to the box, Esc closes.
function moveInPanel(e) {
  const stops = [...$$("#search-hits .hit"), $("#search-more")].filter((x) => !x.hidden);
  const at = stops.indexOf(document.activeElement);
  if (e.key === "Escape") { e.preventDefault(); closeSearch(true); return; }
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  e.preventDefault();
  const next = at + (e.key === "ArrowDown" ? 1 : -1);
  if (next < 0) FIND.input.focus();
  else if (next < stops.length) stops[next].focus();
}

function boxKey(e) {
  if (e.key === "ArrowDown" && !$("#search-panel").hidden) {
    e.preventDefault();
    const first = $("#search-hits .hit");
    if (first) first.focus();
  } else if (e.key === "Escape") {
    e.preventDefault();  // a search field's Esc would also wipe what was typed
    if (!$("#search-panel").hidden) closeSearch(true);
    else FIND.input.value = "";
  } else if (e.key === "Enter") {
    e.preventDefault();
    const text = FIND.input.value.trim();
    if (dossierCode(text)) openCode(dossierCode(text));  // a code typed in full: straight to its dossier
    else if (text) runSearch(text, 1);
  }
}

// --- a dossier by its code (typed, or scanned from the receipt) ------------------------------------------------

// The dossier code in `text`: the code itself, or one inside an address (a QR holding a link); null if none.
function dossierCode(text) {
  let t = text || "";
  try { t = decodeURIComponent(t); } catch (err) { /* not an encoded address: as it is */ }
  const m = /[0-9A-Z]+(?:\.[0-9A-Z]+)*-(?:LT-)?\d{6}-\d{4,5}(?!\d)/i.exec(t);
  return m ? m[0] : null;
}

// Opens the dossier whose code is exactly `code` (its "dossier" hit), or says in the panel that there is none.
// Guarded: a scanner's second Enter, or an officer's, opens nothing twice.
async function openCode(code) {
  if (FIND.busy) return;
  FIND.busy = true;
  stopSearch();
  $("#search-hits").replaceChildren();
  $("#search-more").hidden = true;
  searchMessage(`Đang tìm hồ sơ mã ${code}…`);
  let leaving = false;
  try {
    const found = await api("GET", "/api/search?" + new URLSearchParams({q: code, per_page: 50}));
    const hit = found.hits.find((h) => h.kind === "dossier" && h.dossier_code.toUpperCase() === code.toUpperCase());
    if (!hit) { searchMessage(`Không tìm thấy hồ sơ mã ${code}.`, "error"); return; }
    searchMessage(`Đang mở hồ sơ ${hit.dossier_code}…`);
    leaving = openHit(hit);
  } catch (err) {
    searchMessage(err.message, "error");
  } finally {
    if (!leaving) FIND.busy = false;  // the page is going: it stays busy until it is gone
  }
}

// True when the page goes to another address.
function openHit(hit) {
  if (FIND.opts.open) {
    closeSearch(false);
    FIND.opts.open(hit);
    return false;
  }
  const href = FIND.opts.href(hit);
  if (!href) return false;
  location.assign(href);
  return true;
}

// --- the handheld scanner ------------------------------------------------------------------------------------

// A scanner types ≥ MIN characters then Enter, MEAN ms apart on average or less: a few ms a key, where the fastest
// typists need 60 ms or more and an officer 150. Keys more than SPLIT ms apart are no common run; within one, a key
// a busy machine delivered late does not cut a scan in two (found by runs under load: a scan's first keys were lost,
// or its average went over 30 ms). An Enter within QUIET ms after a scan (scanners ending with CR LF) is swallowed:
// it neither opens twice nor presses the button that has the focus. In the search box only a dossier's code is a
// scan: words typed there very fast are searched as words.
const SCAN = {MIN: 8, MEAN: 50, SPLIT: 500, QUIET: 300, MAX: 300, keys: [], times: [], quietUntil: 0};
const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "file", "range", "color", "image"]);

function isTextEntry(node) {
  if (!node || !node.tagName) return false;
  if (node.isContentEditable || node.tagName === "TEXTAREA") return true;
  return node.tagName === "INPUT" && !NOT_TEXT.has(node.type);
}

// A scan is taken in the search box, or where nothing is being typed; never in another text field (an officer
// typing a name there is never hijacked), nor while a question or the page viewer has the page.
function scannable(target) {
  if ($("dialog[open]")) return false;
  return target === FIND.input || !isTextEntry(target);
}

function scanKey(e) {
  if (e.key === "Enter") { scanEnd(e); return; }
  if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey || e.repeat) {
    if (e.key !== "Shift" && e.key !== "CapsLock") forgetKeys();  // Shift comes with a scanner's capitals
    return;
  }
  const last = SCAN.times[SCAN.times.length - 1];
  if (e.timeStamp - last > SCAN.SPLIT || SCAN.keys.length >= SCAN.MAX) forgetKeys();
  SCAN.keys.push(e.key);
  SCAN.times.push(e.timeStamp);
}

function forgetKeys() {
  SCAN.keys = [];
  SCAN.times = [];
}

// What was scanned, if the keys before this Enter (at `at`) were typed fast enough; "" when they were not.
function scannedText(at) {
  const {keys, times} = SCAN;
  return keys.length >= SCAN.MIN && (at - times[0]) / keys.length < SCAN.MEAN ? keys.join("") : "";
}

function scanEnd(e) {
  const text = scannedText(e.timeStamp);
  forgetKeys();
  if (text && scannable(e.target) && (e.target !== FIND.input || dossierCode(text))) {
    swallow(e);
    SCAN.quietUntil = e.timeStamp + SCAN.QUIET;
    const code = dossierCode(text) || text.trim();
    if (e.target === FIND.input) FIND.input.value = code;
    openCode(code);
  } else if (e.timeStamp < SCAN.quietUntil) {
    swallow(e);
  }
}

function swallow(e) {
  e.preventDefault();
  e.stopImmediatePropagation();
}

// --- wiring --------------------------------------------------------------------------------------------------

function wireSearch(opts) {
  FIND.opts = {href: staffHref, ...opts};
  FIND.input = $("#search-input");
  FIND.input.addEventListener("input", queueSearch);
  FIND.input.addEventListener("keydown", boxKey);
  FIND.input.addEventListener("focus", () => { if ($("#search-hits").children.length) showPanel(true); });
  $("#search-panel").addEventListener("keydown", moveInPanel);
  $("#search-more").addEventListener("click", () => runSearch(FIND.q, FIND.page + 1));
  // A click or the focus elsewhere closes the panel; what was found stays for when the box has the focus again.
  document.addEventListener("pointerdown", (e) => { if (!$("#search").contains(e.target)) showPanel(false); });
  $("#search").addEventListener("focusout", (e) => {
    if (e.relatedTarget && !$("#search").contains(e.relatedTarget)) showPanel(false);
  });
  if (opts.scanner) window.addEventListener("keydown", scanKey, true);  // first, before the page's own keys
}
