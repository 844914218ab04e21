// The one-stop forms (Circular 01/2018/TT-VPCP), printed on A4 or A5: the page is drawn by the server.
function paper(size) {
  let s = $("#page-size");
  if (!s) { s = el("style", {id: "page-size"}); document.head.append(s); }
  s.textContent = `@page { size: ${size}; margin: 12mm; }`;
  document.body.dataset.paper = size;
  for (const b of $$("[data-size]")) b.setAttribute("aria-pressed", b.dataset.size === size);
}
for (const b of $$("[data-size]")) b.onclick = () => paper(b.dataset.size);
const printButton = $("#print");
if (printButton) printButton.onclick = () => window.print();
paper($(".book") ? "A4 landscape" : "A4");  // the tracking book (form 06) is a wide table
