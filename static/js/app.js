// The few behaviours htmx does not cover. Loaded in <head>, before the body paints, so the
// page never flashes the wrong theme.
// Theme: "system" (default), "light" or "dark", kept in localStorage.
(function () {
  const KEY = "dockermate-theme";
  const order = ["system", "light", "dark"];
  const labels = { system: "follows the system", light: "light", dark: "dark" };

  function current() {
    let v = null;
    try {
      v = localStorage.getItem(KEY);
    } catch (_e) { /* storage may be disabled */ }
    return order.indexOf(v) >= 0 ? v : "system";
  }

  function apply(theme) {
    const root = document.documentElement;
    if (theme === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
    const btn = document.getElementById("theme-toggle");
    if (btn) {
      btn.setAttribute("data-mode", theme);
      btn.title = "Theme: " + labels[theme] + " (click to change)";
    }
  }

  apply(current());
  document.addEventListener("DOMContentLoaded", function () {
    apply(current());
    // On a phone the nav is a row that scrolls sideways: bring the current page's tab into view.
    const active = document.querySelector(".nav [aria-current=page]");
    if (active && active.scrollIntoView) {
      active.scrollIntoView({ block: "nearest", inline: "center" });
    }
    const btn = document.getElementById("theme-toggle");
    if (!btn) return;
    btn.addEventListener("click", function () {
      const next = order[(order.indexOf(current()) + 1) % order.length];
      try {
        localStorage.setItem(KEY, next);
      } catch (_e) { /* keep it for this page only */ }
      apply(next);
    });
  });
})();
