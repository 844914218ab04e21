// The public look-up of a dossier (/tra-cuu): its code and the last 4 digits of the citizen's ID number give its
// state and the date promised. A handheld scanner reading the receipt's QR code types the code and Enter: the
// cursor then goes to the digits instead of sending the form half filled.
const STATE_LOOK = {in_progress: "info", supplement: "warn", refused: "bad", ready: "ok", returned: "ok"};
const STATE_HINT = {
  in_progress: "Hồ sơ đang được giải quyết. Vui lòng đến nhận kết quả theo ngày hẹn, mang theo Giấy tiếp nhận hồ sơ.",
  supplement: "Hồ sơ cần bổ sung, hoàn thiện. Giấy tờ cần bổ sung ghi trong Phiếu yêu cầu bổ sung; vui lòng liên hệ Bộ phận Một cửa.",
  refused: "Hồ sơ không được tiếp nhận giải quyết. Lý do ghi trong Phiếu từ chối đã trao cho người nộp hồ sơ.",
  ready: "Đã có kết quả. Vui lòng mang Giấy tiếp nhận hồ sơ đến Bộ phận Một cửa để nhận kết quả.",
  returned: "Kết quả đã được trả cho người nộp hồ sơ.",
};

function showStatus(r) {
  const box = $("#lookup-result");
  box.className = "verdict " + (STATE_LOOK[r.state] || "info");
  $("#r-state").textContent = r.state_vi;
  $("#r-code").textContent = r.code;
  // A late dossier's new date (the apology, form 04) comes first; the date first promised under it.
  const due = r.new_due_date || r.due_date;
  $("#r-due-label").textContent = r.new_due_date ? "Ngày hẹn trả mới" : "Ngày hẹn trả kết quả";
  $("#r-due").textContent = due ? fmtDay(due) : "";
  $("#r-first-due").textContent = r.new_due_date && r.due_date ? fmtDay(r.due_date) : "";
  for (const [cls, shown] of [["r-due", !!due], ["r-first-due", !!r.new_due_date && !!r.due_date]]) {
    $$("." + cls).forEach((n) => (n.hidden = !shown));
  }
  const late = r.new_due_date && r.state === "in_progress" ? " Hồ sơ đã được hẹn lại ngày trả kết quả." : "";
  $("#r-hint").textContent = (STATE_HINT[r.state] || "") + late;
  box.hidden = false;
}

$("#code").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !$("#id-last4").value) {
    e.preventDefault();
    $("#id-last4").focus();
  }
});

$("#lookup-form").onsubmit = async (e) => {
  e.preventDefault();
  $("#lookup-error").textContent = "";
  $("#lookup-result").hidden = true;
  const button = $("#lookup-form button[type=submit]");
  button.disabled = true;
  try {
    showStatus(await api("POST", "/api/public/status", {code: $("#code").value, id_last4: $("#id-last4").value}));
  } catch (err) {
    $("#lookup-error").textContent = err.message;
  } finally {
    button.disabled = false;
  }
};
