// The counter's part of the citizen's rating: the rating screen (/danh-gia, kiosk.js) offers the dossier open here
// (PUT /api/kiosk, then a word on the BroadcastChannel so a screen in this browser looks at once), "Mời đánh giá"
// invites the rating at reception or hand-over (the tab shown says which), and the dossier says once it is rated
// (its status, live).
const KIOSK = {channel: "BroadcastChannel" in window ? new BroadcastChannel("digitize-kiosk") : null, invited: null};
const LEVEL_VI = ["", "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];

async function publishKiosk(dossierId, invite = false) {
  const body = {dossier_id: dossierId};
  if (invite) {
    body.invite = true;
    body.moment = document.body.dataset.mode === "result" ? "handover" : "reception";
  }
  const view = await api("PUT", "/api/kiosk", body);
  KIOSK.invited = view.invited && view.dossier ? view.dossier.id : null;
  if (KIOSK.channel) KIOSK.channel.postMessage("changed");
  if (state.status) renderRating(state.status);
  return view;
}

async function inviteRating() {
  const button = $("#invite-rating");
  if (button.disabled || !state.dossier) return;
  button.disabled = true;
  try {
    await publishKiosk(state.dossier, true);
    toast("Đã mời công dân đánh giá trên màn hình đánh giá.", "ok");
  } catch (err) {
    toast(err.message, "error");
  } finally {
    if (state.status) renderRating(state.status);
  }
}

function renderRating(st) {
  const r = st.rating;
  $("#invite-rating").disabled = Boolean(r) || st.archive;
  $("#invite-rating").textContent = r ? "Đã đánh giá" : "Mời đánh giá";
  $("#rating-state").textContent = r
    ? `Công dân đã đánh giá: ${LEVEL_VI[r.score]} (${r.score}/5)` + (r.complaint ? " · có phản ánh, kiến nghị" : "") +
      ` · ${fmtDate(r.at)}`
    : KIOSK.invited === st.dossier ? "Đã mời đánh giá, đang chờ công dân chọn trên màn hình." : "Chưa đánh giá.";
  $("#rating-state").className = "small " + (r ? (r.score >= 4 ? "rating-good" : "rating-poor") : "muted");
}

document.addEventListener("DOMContentLoaded", () => {
  $("#invite-rating").onclick = inviteRating;
});
