// The login page: staff by username, citizens by ID number with a password or a one-time code.
// Where to go after login: the page asked for (a path of this site), else the role's home.
const {home: HOME, next: NEXT} = JSON.parse($("#login-data").textContent);
function showTab(which) {
  for (const w of ["staff", "citizen"]) {
    $("#tab-" + w).setAttribute("aria-selected", w === which);
    $("#form-" + w).hidden = w !== which;
  }
}
$("#tab-staff").onclick = () => showTab("staff");
$("#tab-citizen").onclick = () => showTab("citizen");
async function done(res) {
  location.href = NEXT || HOME[res.user.role] || "/";
}
$("#form-staff").onsubmit = async (e) => {
  e.preventDefault();
  try {
    done(await api("POST", "/api/login", {username: $("#username").value, password: $("#password").value}));
  } catch (err) { $("#login-error").textContent = err.message; }
};
$("#form-citizen").onsubmit = async (e) => {
  e.preventDefault();
  const secret = $("#secret").value;
  const body = {id_number: $("#id_number").value.trim()};
  if (/^[0-9]{6}$/.test(secret)) body.code = secret; else body.password = secret;
  try { done(await api("POST", "/api/citizen/login", body)); }
  catch (err) { $("#login-error").textContent = err.message; }
};
