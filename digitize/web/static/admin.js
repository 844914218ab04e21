// The admin's page: the agency's staff accounts (create, deactivate, reactivate, reset a password), the audit log
// (filtered and paged, times in Asia/Ho_Chi_Minh) and the procedure catalog (read only).
"use strict";

const {roles: ROLES, me: ME} = JSON.parse($("#admin-data").textContent);
const ROLE_VI = Object.fromEntries(ROLES);
Object.assign(ROLE_VI, {citizen: "Công dân", anonymous: "Chưa đăng nhập", system: "Hệ thống"});
// What each audited action means; an action not listed (a newer one) is shown by its code.
const ACTION_VI = {
  "login": "Đăng nhập",
  "login.failed": "Đăng nhập sai",
  "user.create": "Tạo tài khoản",
  "user.list": "Xem danh sách tài khoản",
  "user.deactivate": "Khóa tài khoản",
  "user.reactivate": "Mở khóa tài khoản",
  "user.password": "Đặt lại mật khẩu",
  "audit.read": "Xem nhật ký",
  "figures.read": "Xem số liệu",
  "dossier.create": "Tạo hồ sơ",
  "dossier.upload": "Tải tệp lên hồ sơ",
  "dossier.read": "Xem hồ sơ",
  "dossier.status.read": "Tra cứu tình trạng hồ sơ (trang công khai)",
  "dossier.arrange": "Sắp xếp trang hồ sơ",
  "dossier.list": "Xem danh sách hồ sơ",
  "dossiers.read": "Xem danh sách hồ sơ",
  "document.read": "Xem giấy tờ",
  "document.correct": "Sửa dữ liệu giấy tờ",
  "document.approve": "Duyệt giấy tờ",
  "document.reject": "Từ chối giấy tờ",
  "document.component": "Gán thành phần hồ sơ",
  "document.download": "Tải bản sao điện tử",
  "repository.read": "Xem kho giấy tờ công dân",
  "repository.offer": "Gợi ý giấy tờ dùng lại",
  "repository.reuse": "Dùng lại giấy tờ",
  "result.issue": "Trả kết quả",
  "review.queue": "Xem hàng đợi kiểm tra",
  "citizen.password": "Đặt mật khẩu công dân",
  "citizen.code": "Cấp mã đăng nhập công dân",
  "outbox.retry": "Gửi lại thông báo, đồng bộ",
  "search": "Tìm kiếm",
  "access.refused": "Truy cập bị từ chối",
};
const OBJECT_VI = {user: "Tài khoản", agency: "Đơn vị", dossier: "Hồ sơ", document: "Giấy tờ", citizen: "Công dân"};
const PAGE_SIZE = 50;

// What to tell the admin: the API's Vietnamese reason, a date the page itself refused, or, when the server could
// not be reached at all (fetch's own error is in English), that.
function said(err) {
  return err instanceof ApiError || err instanceof RangeError ? err.message : "Không kết nối được máy chủ; vui lòng thử lại.";
}
let auditPage = 0;

// --- tabs ---------------------------------------------------------------------------------------------------------

function showTab(hash) {
  const tabs = $$('[role="tab"]');
  const chosen = tabs.find((t) => t.dataset.hash === hash) || tabs[0];
  for (const t of tabs) {
    const on = t === chosen;
    t.setAttribute("aria-selected", on);
    t.tabIndex = on ? 0 : -1;
    $("#" + t.getAttribute("aria-controls")).hidden = !on;
  }
  if (location.hash.slice(1) !== chosen.dataset.hash) history.replaceState(null, "", "#" + chosen.dataset.hash);
  if (chosen.id === "tab-audit" && !$("#t-audit tbody").childElementCount) loadAudit();
  if (chosen.id === "tab-catalog" && !$("#procedures").childElementCount) loadCatalog();
  if (chosen.id === "tab-outbox") loadOutbox();
}

// --- accounts -----------------------------------------------------------------------------------------------------

async function loadUsers() {
  $("#users-error").textContent = "";
  try {
    const users = await api("GET", "/api/users");
    $("#t-users tbody").replaceChildren(...users.map(userRow));
    $("#a-users").replaceChildren(...users.map((u) => el("option", {value: u.username}, u.full_name)));
  } catch (err) {
    $("#users-error").textContent = said(err);
  }
}

function userRow(u) {
  const state = u.active ? el("span", {class: "badge ok"}, "Đang hoạt động") : el("span", {class: "badge bad"}, "Đã khóa");
  const self = u.username === ME;
  const toggle = el("button", {type: "button", class: u.active ? "danger" : "", disabled: self && u.active,
                               title: self ? "Không thể tự khóa tài khoản đang dùng" : null,
                               onclick: () => setActive(u, !u.active)},
                    u.active ? "Khóa" : "Mở khóa");
  const reset = el("button", {type: "button", onclick: () => askPassword(u)}, "Đặt lại mật khẩu");
  return el("tr", {"data-user": u.username, class: u.active ? "" : "inactive"},
    el("td", {class: "mono"}, u.username),
    el("td", {}, u.full_name),
    el("td", {}, ROLE_VI[u.role] || u.role),
    el("td", {}, state),
    el("td", {class: "nowrap"}, fmtDate(u.created_at).slice(0, 10)),
    el("td", {class: "actions"}, toggle, reset));
}

async function createUser(e) {
  e.preventDefault();
  const form = e.target;
  const body = Object.fromEntries(new FormData(form).entries());
  const missing = [["username", "tên đăng nhập"], ["full_name", "họ và tên"], ["password", "mật khẩu"]]
    .filter(([k]) => !String(body[k] || "").trim()).map(([, v]) => v);
  $("#new-user-error").textContent = missing.length ? "Chưa nhập " + missing.join(", ") + "." : "";
  if (missing.length) return;
  try {
    const u = await api("POST", "/api/users", body);
    form.reset();
    toast(`Đã tạo tài khoản ${u.username} (${ROLE_VI[u.role] || u.role}).`, "ok");
    await loadUsers();
  } catch (err) {
    $("#new-user-error").textContent = said(err);
  }
}

async function setActive(u, active) {
  try {
    await api("PATCH", "/api/users/" + encodeURIComponent(u.username), {active});
    toast(active ? `Đã mở khóa tài khoản ${u.username}.` : `Đã khóa tài khoản ${u.username}; các phiên đăng nhập đã kết thúc.`,
          "ok");
    await loadUsers();
  } catch (err) {
    toast(said(err), "error");
  }
}

let resetting = null;
function askPassword(u) {
  resetting = u;
  $("#pw-who").textContent = `Tài khoản ${u.username} – ${u.full_name}`;
  $("#pw-new").value = "";
  $("#pw-error").textContent = "";
  $("#pw-dialog").showModal();
  $("#pw-new").focus();
}

async function savePassword(e) {
  e.preventDefault();
  const password = $("#pw-new").value;
  if (!password) {
    $("#pw-error").textContent = "Chưa nhập mật khẩu mới.";
    return;
  }
  try {
    await api("PUT", `/api/users/${encodeURIComponent(resetting.username)}/password`, {password});
    $("#pw-dialog").close();
    toast(`Đã đặt lại mật khẩu cho ${resetting.username}.`, "ok");
  } catch (err) {
    $("#pw-error").textContent = said(err);
  }
}

// --- audit log ----------------------------------------------------------------------------------------------------

function auditQuery() {
  const q = new URLSearchParams({limit: PAGE_SIZE + 1, offset: auditPage * PAGE_SIZE});
  const user = $("#a-user").value.trim(), action = $("#a-action").value;
  if (user) q.set("user", user);
  if (action) q.set("action", action);
  for (const [id, key, name] of [["#a-from", "from", "Từ ngày"], ["#a-to", "to", "Đến ngày"]]) {
    const text = $(id).value.trim();
    if (!text) continue;
    const iso = isoDate(text);
    if (!iso) throw new RangeError(`${name} "${text}" không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 08/11/2026.`);
    q.set(key, iso);
  }
  if (q.has("from") && q.has("to") && q.get("from") > q.get("to")) throw new RangeError("Từ ngày phải trước hoặc bằng Đến ngày.");
  return q;
}

let auditAsked = 0; // the latest request: an earlier answer arriving after it is dropped, not shown over it
async function loadAudit() {
  $("#audit-error").textContent = "";
  const asked = ++auditAsked;
  let rows;
  try {
    rows = await api("GET", "/api/audit?" + auditQuery());
  } catch (err) {
    if (asked === auditAsked) $("#audit-error").textContent = said(err);
    return;
  }
  if (asked !== auditAsked) return;
  const more = rows.length > PAGE_SIZE;
  const body = $("#t-audit tbody");
  body.replaceChildren(...rows.slice(0, PAGE_SIZE).map(auditRow));
  if (!rows.length) body.append(el("tr", {}, el("td", {colspan: 7, class: "muted"}, "Không có sự kiện nào khớp bộ lọc.")));
  $("#a-page").textContent = `Trang ${auditPage + 1}`;
  $("#a-prev").disabled = auditPage === 0;
  $("#a-next").disabled = !more;
}

function auditRow(e) {
  const what = [OBJECT_VI[e.object_type] || e.object_type, e.object_id].filter(Boolean).join(" ");
  return el("tr", {},
    el("td", {class: "nowrap"}, fmtDate(e.at)),
    el("td", {class: "mono"}, e.actor),
    el("td", {}, ROLE_VI[e.role] || e.role),
    el("td", {title: e.action}, ACTION_VI[e.action] || e.action),
    el("td", {}, what),
    el("td", {class: "mono"}, e.citizen || ""),
    el("td", {class: "mono"}, e.ip || ""));
}

function fillActions() {
  const names = Object.entries(ACTION_VI).sort((a, b) => a[1].localeCompare(b[1], "vi"));
  $("#a-action").append(...names.map(([code, name]) => el("option", {value: code}, name)));
}

// --- catalog ------------------------------------------------------------------------------------------------------

const LEVEL_VI = {xa: "Cấp xã", huyen: "Cấp huyện", tinh: "Cấp tỉnh"};

async function loadCatalog() {
  try {
    const [procedures, types] = await Promise.all([api("GET", "/api/procedures"), api("GET", "/api/document-types")]);
    const typeName = (code) => (types[code] ? types[code].name : code);
    $("#procedures").replaceChildren(...procedures.map((p) => procedureBlock(p, typeName)));
    $("#t-types tbody").replaceChildren(...Object.entries(types).map(([code, t]) => el("tr", {},
      el("th", {scope: "row"}, el("span", {class: "proc-name"}, t.name), el("span", {class: "proc-code"}, code)),
      el("td", {}, t.reusable ? "Có" : "Không"),
      el("td", {}, t.fields.length ? t.fields.map((f) => f.label).join("; ") : el("span", {class: "muted"}, "Không có trường")))));
  } catch (err) {
    $("#catalog-error").textContent = said(err);
  }
}

function procedureBlock(p, typeName) {
  const days = p.processing_days === null ? "Không quy định" : p.processing_days === 0 ? "Trong ngày" : `${p.processing_days} ngày làm việc`;
  const rows = p.components.map((c) => el("tr", {},
    el("td", {}, c.name),
    el("td", {}, c.required ? "Bắt buộc" : "Không bắt buộc"),
    el("td", {}, c.document_types.map(typeName).join("; "))));
  return el("details", {class: "procedure", "data-code": p.code},
    el("summary", {}, el("strong", {}, p.name), " ", el("span", {class: "muted"}, `(${p.code})`)),
    el("dl", {class: "values"},
      el("dt", {}, "Cấp thực hiện"), el("dd", {}, LEVEL_VI[p.level] || p.level),
      el("dt", {}, "Thời hạn giải quyết"), el("dd", {}, days),
      el("dt", {}, "Kết quả"), el("dd", {}, p.result ? typeName(p.result) : "Không quy định")),
    el("table", {class: "admin-table"},
      el("thead", {}, el("tr", {}, el("th", {scope: "col"}, "Thành phần hồ sơ"), el("th", {scope: "col"}, "Yêu cầu"),
                              el("th", {scope: "col"}, "Giấy tờ nhận dạng được"))),
      el("tbody", {}, rows)));
}

// --- outbox -------------------------------------------------------------------------------------------------------

const CHANNEL_VI = {email: "Thư điện tử", sms: "Tin nhắn SMS", portal: "Kho dữ liệu Cổng DVC quốc gia"};
const STATE_VI = {pending: "Đang chờ gửi", sent: "Đã gửi", dead: "Đã dừng (lỗi)"};

async function loadOutbox() {
  $("#outbox-error").textContent = "";
  try {
    const q = $("#outbox-dead-only").checked ? "?state=dead" : "";
    const out = await api("GET", "/api/outbox" + q);
    $("#outbox-counts").textContent = Object.entries(out.counts).map(([ch, n]) =>
      `${CHANNEL_VI[ch] || ch}: ${n.sent} đã gửi, ${n.pending} đang chờ, ${n.dead} đã dừng`).join(" · ") || "Chưa có việc gửi nào.";
    const rows = out.messages.map(outboxRow);
    $("#t-outbox tbody").replaceChildren(...(rows.length ? rows :
      [el("tr", {}, el("td", {colspan: "7", class: "muted"}, "Không có việc gửi nào."))]));
  } catch (err) { $("#outbox-error").textContent = said(err); }
}

// Why a delivery failed, in words, before the technical reason the sender recorded.
function failureVi(text) {
  if (!text) return "";
  const http = /^HTTP (\d{3})/.exec(text);
  const why = http ? (http[1] >= "500" ? "Bên nhận đang gặp lỗi" : "Bên nhận từ chối nội dung gửi") :
    /Timeout/.test(text) ? "Bên nhận không trả lời kịp" : /Connect|refused|unreachable/i.test(text) ?
    "Không kết nối được bên nhận" : /^SMTP/.test(text) ? "Máy chủ thư điện tử báo lỗi" : "Lỗi khi gửi";
  return `${why} (${text.trim().replace(/:$/, "")})`;
}

function outboxRow(m) {
  const again = m.state === "dead" ? el("button", {type: "button"}, "Gửi lại") : "";
  if (again) again.onclick = () => retryMessage(m, again);
  return el("tr", {},
    el("td", {class: "nowrap"}, fmtDate(m.created_at)), el("td", {}, CHANNEL_VI[m.channel] || m.channel),
    el("td", {}, m.recipient), el("td", {}, STATE_VI[m.state] || m.state), el("td", {}, String(m.attempts)),
    el("td", {class: "small"}, failureVi(m.last_error)), el("td", {}, again));
}

async function retryMessage(m, button) {
  button.disabled = true;  // a second click sends nothing twice: the message is pending now
  try {
    await api("POST", `/api/outbox/${m.id}/retry`);
    toast("Đã đưa vào hàng chờ gửi lại.", "ok");
    loadOutbox();
  } catch (err) { $("#outbox-error").textContent = said(err); button.disabled = false; }
}

// --- wiring -------------------------------------------------------------------------------------------------------

for (const t of $$('[role="tab"]')) t.onclick = () => showTab(t.dataset.hash);
$(".admin-tabs").addEventListener("keydown", (e) => {
  if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
  const tabs = $$('[role="tab"]');
  const i = tabs.findIndex((t) => t.getAttribute("aria-selected") === "true");
  const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
  showTab(next.dataset.hash);
  next.focus();
});
$("#new-user").onsubmit = createUser;
$("#pw-form").onsubmit = savePassword;
$("#pw-cancel").onclick = () => $("#pw-dialog").close();
$("#audit-filters").onsubmit = (e) => { e.preventDefault(); auditPage = 0; loadAudit(); };
$("#a-prev").onclick = () => { auditPage = Math.max(0, auditPage - 1); loadAudit(); };
$("#a-next").onclick = () => { auditPage += 1; loadAudit(); };
$("#outbox-dead-only").onchange = loadOutbox;
fillActions();
loadUsers();
showTab(location.hash.slice(1));
