// Shared helpers of the pages (no inline scripts: the Content-Security-Policy forbids them).
"use strict";
window.dossier = {
  // The data a template put in <script type="application/json" id="...">.
  data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  },
  csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },
  // The page's direction, for libraries that draw text (charts, graphs).
  rtl() { return document.documentElement.dir === "rtl"; },
};
// Buttons that ask before they act: <button data-confirm="message">.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
