// Restoring a volume backup: the chosen .tar.gz is sent as the request body, as it is, so the
// server streams it on to Docker (a form would send multipart, which the server would have to
// hold whole). The answer is server-rendered HTML (escaped there), put under the form.
(function () {
  if (globalThis.dockermateRestore) return;
  globalThis.dockermateRestore = true;

  const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

  function show(result, html) {
    result.innerHTML = html;
  }

  function message(result, kind, text) {
    const div = document.createElement("div");
    div.className = "alert alert-" + kind;
    div.setAttribute("role", kind === "error" ? "alert" : "status");
    div.textContent = text;
    result.replaceChildren(div);
  }

  async function restore(form) {
    const result = document.getElementById("restore-result");
    const into = form.getAttribute("data-restore");
    const name = into || form.elements.name.value.trim();
    const file = form.elements.file.files[0];
    if (!NAME.test(name)) {
      return message(
        result,
        "error",
        "name: a letter or digit first, then letters, digits, _ . or - (2 characters at least)",
      );
    }
    if (!file) return message(result, "error", "file: choose a .tar.gz");
    // The new volume's labels, one key=value a line, as the query the server reads.
    const query = new URLSearchParams();
    const labels = form.elements.labels ? form.elements.labels.value.split(/\r?\n/) : [];
    for (const line of labels) if (line.trim()) query.append("label", line.trim());
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    message(result, "info", "Uploading " + file.name + " into " + name + "…");
    try {
      const url = "/volumes/" + encodeURIComponent(name) + "/restore";
      const res = await fetch(query.size ? url + "?" + query : url, {
        method: "POST",
        body: file,
        // HX-Request: errors come back as a fragment, like any htmx action's.
        headers: { "content-type": "application/gzip", "hx-request": "true" },
      });
      show(result, await res.text());
      if (res.ok) {
        form.reset();
        // The list, where there is one, shows the new volume (hx-trigger on #volumes-table).
        document.body.dispatchEvent(new CustomEvent("volumes-changed"));
      }
    } catch (err) {
      message(result, "error", "The upload failed: " + err.message);
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-restore")) return;
    event.preventDefault();
    restore(form);
  });
})();
