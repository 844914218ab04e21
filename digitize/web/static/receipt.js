// The receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả), printed on A4 or A5.
const FORM_VI = {original: "Bản chính", copy: "Bản sao", present: "Xuất trình"};
async function loadReceipt() {
  const id = $("#receipt").dataset.dossier;
  const [st, procs] = await Promise.all([api("GET", `/api/dossiers/${id}`), api("GET", "/api/procedures")]);
  const proc = procs.find((p) => p.code === st.procedure);
  $("#r-code").textContent = st.code;
  $("#qr-code").textContent = st.code;
  $("#r-procedure").textContent = proc ? `${proc.name} (${proc.code})` : "–";
  $("#r-citizen").textContent = st.citizen_id || "–";
  $("#r-time").textContent = fmtDate(st.created_at);
  if (st.due_date && proc) {
    $("#r-days").textContent = proc.processing_days ? `${proc.processing_days} ngày làm việc` : "Trong ngày làm việc";
    $("#r-due").textContent = fmtDay(st.due_date);
    for (const x of $$(".due")) x.hidden = false;
    $("#r-title").textContent = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
  }
  $("#r-components").replaceChildren(...st.checklist.map((c, i) => el("tr", {},
    el("td", {text: i + 1}), el("td", {text: c.name}), el("td", {text: FORM_VI[c.form] || c.form}),
    el("td", {text: c.reused.length ? "Dùng lại từ kho dữ liệu" : c.documents.length ? "Đã nhận, đã số hóa" :
                    c.required ? "Còn thiếu" : "Không bắt buộc"}))));
  // Pages handed in: neither those left out nor the scans of the issued result.
  const pages = st.page_order.filter((i) => !st.excluded_pages.includes(i) && !st.result_pages.includes(i)).length;
  $("#r-pages").textContent = `Số trang đã số hóa: ${pages}.`;
}
function paper(size) {
  let s = $("#page-size");
  if (!s) { s = el("style", {id: "page-size"}); document.head.append(s); }
  s.textContent = `@page { size: ${size}; margin: 12mm; }`;
  document.body.dataset.paper = size;
  for (const b of $$("[data-size]")) b.setAttribute("aria-pressed", b.dataset.size === size);
}
for (const b of $$("[data-size]")) b.onclick = () => paper(b.dataset.size);
$("#print").onclick = () => window.print();
paper("A4");
loadReceipt().catch((err) => toast(err.message, "error"));
