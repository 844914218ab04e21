// The counter's part of the one-stop forms (Circular 01/2018/TT-VPCP, docs/forms.md): who hands the dossier in,
// how many originals and copies of each component were received, asking for more papers or refusing, and a new
// date for a late dossier. Inputs are filled once per dossier, never redrawn by the live updates (a redraw while
// the officer types would lose the keystrokes and the focus).
const SLIP_URL = {receipt: "tiep-nhan", supplement: "bo-sung", refused: "tu-choi", apology: "xin-loi", control: "kiem-soat"};
const handling = {dossier: null, mode: null, target: null};

function slipUrl(kind, dossier) { return `/quay/phieu/${SLIP_URL[kind]}/${dossier}`; }

function renderHandling(st) {
  if (handling.dossier !== st.dossier) {
    handling.dossier = st.dossier;
    for (const input of $$("#applicant-box input")) showApplicant(input, st.handling.applicant[input.dataset.key]);
    $("#control-link").href = slipUrl("control", st.dossier);
    if (document.body.dataset.mode === "result") $("#collector-name").focus();  // opened to hand over the result
  }
  // Redrawn with each update (a scan read counts its paper as received), except while the officer is in it.
  if (!$("#handed-in").contains(document.activeElement)) renderCounts(st);
  const outcome = st.handling.outcome;
  $("#outcome-note").hidden = !outcome;
  $("#outcome-note").textContent = outcome === "supplement" ? `Đã yêu cầu bổ sung: ${st.handling.outcome_reason}` :
    outcome === "refused" ? `Đã từ chối tiếp nhận: ${st.handling.outcome_reason}` : "";
  const closed = st.results.length > 0;
  $("#ask-supplement").disabled = closed || outcome === "refused";
  $("#refuse").disabled = closed || outcome === "refused";
  $("#ask-supplement").textContent = outcome === "supplement" ? "Đã bổ sung đủ, tiếp nhận" : "Yêu cầu bổ sung";
  if (outcome) {  // the form of the decision instead of a receipt
    $("#finish").disabled = false;
    $("#finish").textContent = outcome === "supplement" ? "In phiếu yêu cầu bổ sung" : "In phiếu từ chối";
  }
}

// The counts as the receipt will print them (the server's rows: what was typed, else what the scans show).
function renderCounts(st) {
  const rows = st.handling.components || [];
  const head = el("tr", {}, el("th", {text: "Thành phần"}), el("th", {text: "Bản chính"}), el("th", {text: "Bản sao"}));
  $("#handed-in").replaceChildren(...(rows.length ? [el("thead", {}, head), el("tbody", {}, ...rows.map((c) => {
    if (c.kind === "present") {
      const box = el("input", {type: "checkbox", id: `shown-${c.component}`, "data-component": c.component});
      box.checked = c.presented;
      return el("tr", {}, el("td", {}, el("label", {for: box.id, text: c.name})),
        el("td", {colspan: "2"}, box, el("span", {class: "muted", text: " Đã xuất trình (không thu)"})));
    }
    const number = (kind, label) => el("input", {type: "number", min: "0", max: "99", value: String(c[kind]),
      "data-component": c.component, "data-kind": kind, "aria-label": `${label}: ${c.name}`});
    return el("tr", {}, el("td", {text: c.name}), el("td", {}, number("originals", "Số bản chính")),
      el("td", {}, number("copies", "Số bản sao")));
  }))] : []));
}

function showApplicant(input, value) {
  if (input.type === "checkbox") input.checked = Boolean(value);
  else input.value = value || "";
}

// Saved as typed; a refusal (a wrong address, consent with no number to tell) puts back what the server holds.
async function saveApplicant(input) {
  const value = input.type === "checkbox" ? input.checked : input.value.trim() || null;
  const answer = await saveDetails({applicant: {[input.dataset.key]: value}});
  if (answer) showApplicant(input, answer.applicant[input.dataset.key]);
  else if (input.type === "checkbox") input.checked = !value;
}

async function saveDetails(body) {
  try { return await api("PUT", `/api/dossiers/${state.dossier}/details`, body); }
  catch (err) { toast(err.message, "error"); return null; }
}

function countsOf(key) {
  const shown = $(`#handed-in input[type=checkbox][data-component="${key}"]`);
  if (shown) return {originals: 0, copies: 0, presented: shown.checked};
  const n = (kind) => Math.max(0, Number($(`#handed-in input[data-component="${key}"][data-kind="${kind}"]`).value) || 0);
  return {originals: n("originals"), copies: n("copies"), presented: false};
}

function openOutcome(mode, target) {
  handling.mode = mode;
  handling.target = target || state.dossier;
  const text = {
    supplement: ["Yêu cầu bổ sung, hoàn thiện hồ sơ", "Các thành phần còn thiếu được liệt kê trên phiếu; ghi thêm điều cần bổ sung."],
    refused: ["Từ chối tiếp nhận hồ sơ", "Ghi rõ lý do từ chối; lý do được in trên phiếu từ chối."],
    delay: ["Xin lỗi và hẹn lại ngày trả kết quả", "Ngày hẹn mới phải sau ngày hẹn cũ."],
  }[mode];
  $("#outcome-title").textContent = text[0];
  $("#outcome-help").textContent = text[1];
  $("#delay-date-box").hidden = mode !== "delay";
  $("#outcome-reason").value = "";
  $("#outcome-error").textContent = "";
  $("#outcome-dialog").showModal();
  (mode === "delay" ? $("#delay-date") : $("#outcome-reason")).focus();
}

async function confirmOutcome(e) {
  e.preventDefault();
  const reason = $("#outcome-reason").value.trim();
  try {
    if (handling.mode === "delay") {
      const day = isoDate($("#delay-date").value);
      if (!day) throw new Error("Ngày hẹn mới phải có dạng dd/mm/yyyy.");
      await api("POST", `/api/dossiers/${handling.target}/delay`, {new_due_date: day, reason});
      location.href = slipUrl("apology", handling.target);
    } else {
      await api("POST", `/api/dossiers/${handling.target}/outcome`, {outcome: handling.mode, reason});
      location.href = slipUrl(handling.mode, handling.target);
    }
  } catch (err) { $("#outcome-error").textContent = err.message; }
}

async function supplementOrReceive() {
  if (state.status.handling.outcome !== "supplement") { openOutcome("supplement"); return; }
  try {  // the citizen came back with what was missing: received now, the date promised from today
    await api("POST", `/api/dossiers/${state.dossier}/outcome`, {outcome: "received"});
    render(await api("GET", `/api/dossiers/${state.dossier}`));
    toast("Đã tiếp nhận hồ sơ sau khi bổ sung.", "ok");
  } catch (err) { toast(err.message, "error"); }
}

// Where "Hoàn tất" leads: the receipt, or the form of the decision taken instead.
function finishUrl(st) {
  const outcome = st.handling.outcome;
  return slipUrl(outcome === "supplement" ? "supplement" : outcome === "refused" ? "refused" : "receipt", st.dossier);
}

// Reception and hand-over are two jobs at the counter: the dossier shows one at a time (?viec=tra-ket-qua for the
// second), so an officer receiving papers never records a result by mistake, and one returning a result sees its
// section first.
function setMode(mode, remember = true) {
  document.body.dataset.mode = mode;
  for (const tab of $$(".mode-tabs [role=tab]")) {
    const on = tab.dataset.mode === mode;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  if (!remember) return;
  const url = new URL(location.href);
  if (mode === "result") url.searchParams.set("viec", "tra-ket-qua"); else url.searchParams.delete("viec");
  history.replaceState(null, "", url);
}

function wireModeTabs() {
  const tabs = $$(".mode-tabs [role=tab]");
  for (const tab of tabs) {
    tab.addEventListener("click", () => setMode(tab.dataset.mode));
    tab.addEventListener("keydown", (e) => {  // arrows move between the tabs, as for any tab list
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      const next = tabs[(tabs.indexOf(tab) + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      setMode(next.dataset.mode);
      next.focus();
    });
  }
  setMode(new URLSearchParams(location.search).get("viec") === "tra-ket-qua" ? "result" : "reception", false);
}

document.addEventListener("DOMContentLoaded", () => {
  wireModeTabs();
  for (const input of $$("#applicant-box input")) input.addEventListener("change", () => saveApplicant(input));
  $("#handed-in").addEventListener("change", (e) => {
    const key = e.target.dataset.component;
    if (key) saveDetails({handed_in: {[key]: countsOf(key)}});
  });
  $("#ask-supplement").onclick = supplementOrReceive;
  $("#refuse").onclick = () => openOutcome("refused");
  $("#outcome-ok").addEventListener("click", confirmOutcome);
});
