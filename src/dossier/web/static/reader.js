// The document reader: "cite this" quotes the text selected on the page, and copies the citation.
"use strict";
(() => {
  const template = window.dossier.data("citation-template");
  const text = document.getElementById("page-text");
  const quote = document.getElementById("cite-quote");
  const citation = document.getElementById("citation");
  const copy = document.getElementById("cite-copy");
  if (!template || !quote || !citation) return;

  const tidy = (value) => value.replace(/\s+/g, " ").trim().slice(0, template.max);
  const update = () => {
    citation.textContent = template.text.replace("{quote}", tidy(quote.value));
  };

  // A selection inside the page's text becomes the quote.
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!text || !selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    const chosen = tidy(selection.toString());
    if (chosen) {
      quote.value = chosen;
      update();
    }
  });
  quote.addEventListener("input", update);

  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(citation.textContent).then(() => {
        const label = copy.textContent;
        copy.textContent = template.copied;
        window.setTimeout(() => { copy.textContent = label; }, 1500);
      });
    });
  }
})();
