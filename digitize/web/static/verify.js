// The public check of a certified e-copy (/xac-minh): its PDF file, or the text of its QR code typed, pasted or sent
// by a handheld scanner (which ends with Enter, sending the form). Green "Hợp lệ" with which paper, from which agency,
// signed which day; red with the reason otherwise.
const REFUSED = new Set(["not_verified", "ecopy_not_found"]);  // a copy checked and found not valid

function fact(label, value) {
  return value ? [el("dt", {text: label}), el("dd", {text: value})] : [];
}

function facts(r) {
  return [
    ...fact("Loại giấy tờ", r.document_name),
    ...fact("Cơ quan số hóa", r.agency),
    ...fact("Ngày ký số", r.signed_on ? fieldText(r.signed_on) : ""),
    ...fact("Người ký số", r.signer),
  ];
}

function showVerdict(kind, title, reason, r = {}, advice = false) {
  const box = $("#verdict");
  box.className = "verdict " + kind;
  $("#v-title").textContent = title;
  $("#v-reason").textContent = reason;
  $("#v-facts").replaceChildren(...facts(r));
  $("#v-note").textContent = r.note_vi || "";
  $("#v-note").hidden = !r.note_vi;
  $("#v-advice").hidden = !advice;
  box.hidden = false;
  box.scrollIntoView({block: "nearest"});
}

function showValid(r) {
  const how = r.checked === "file"
    ? "Tệp PDF đúng là bản do hệ thống cấp, không bị sửa đổi; giấy tờ đang được duyệt."
    : "Hệ thống đã cấp bản sao điện tử có mã QR này; giấy tờ đang được duyệt.";
  showVerdict("ok", "✓ Hợp lệ", how, r);
}

function showRefusal(err) {
  const body = err.body || {};
  const refused = REFUSED.has(body.error);
  showVerdict("bad", refused ? "✗ Không hợp lệ" : "Không kiểm tra được", err.message, body.issued_here ? body : {},
              refused);
}

async function check(form, send) {
  const button = $("button[type=submit]", form);
  button.disabled = true;
  try {
    showValid(await send());
  } catch (err) {
    showRefusal(err);
  } finally {
    button.disabled = false;
  }
}

$("#ecopy-file").onchange = () => {
  const file = $("#ecopy-file").files[0];
  $("#ecopy-file-name").textContent = file ? file.name : "chưa chọn tệp";
};

$("#file-form").onsubmit = (e) => {
  e.preventDefault();
  const file = $("#ecopy-file").files[0];
  if (!file) {
    showVerdict("bad", "Không kiểm tra được", "Hãy chọn tệp PDF của bản sao điện tử.");
    return;
  }
  const form = new FormData();
  form.append("file", file);
  check(e.target, () => api("POST", "/api/verify", form));
};

$("#qr-form").onsubmit = (e) => {
  e.preventDefault();
  const text = $("#qr-text").value;
  if (!text.trim()) {
    showVerdict("bad", "Không kiểm tra được", "Hãy quét mã QR trên bản sao hoặc dán nội dung của mã vào ô.");
    return;
  }
  // The text stays selected: the next scan replaces it.
  check(e.target, () => api("POST", "/api/verify/qr", {text})).then(() => $("#qr-text").select());
};
