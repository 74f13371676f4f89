// Copy buttons: `data-copy` names the element whose text is copied. The async clipboard needs
// a secure context (https or localhost), so on a plain-http LAN address the text is selected and
// copied the old way, or left selected for Ctrl+C when even that is refused.
(function () {
  if (globalThis.dockermateCopy) return;
  globalThis.dockermateCopy = true;

  function select(el) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function legacyCopy(el) {
    select(el);
    try {
      return document.execCommand("copy");
    } catch (_e) {
      return false;
    }
  }

  async function copy(el) {
    if (navigator.clipboard && globalThis.isSecureContext) {
      try {
        await navigator.clipboard.writeText(el.textContent);
        return "Copied.";
      } catch (_e) { /* refused: fall back below */ }
    }
    return legacyCopy(el) ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.";
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    const el = document.getElementById(button.getAttribute("data-copy"));
    if (!el) return;
    const status = document.getElementById(button.getAttribute("data-copy") + "-status");
    copy(el).then(function (message) {
      if (status) status.textContent = message;
    });
  });
})();
