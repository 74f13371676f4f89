// The log viewer (components/logs.tsx): follows the server's stream of line fragments,
// keeps at most data-max-lines lines on the page, and does what only the browser can:
// search highlighting, hiding lines that do not match, wrapping, pause and resume.
// The server renders and escapes every line; this script only places the fragments.
//
// Pause keeps receiving: new lines wait in a buffer (bounded like the page: the oldest are
// dropped first, and counted) and the status says how many; resume shows them all at once.
(function () {
  "use strict";

  function init() {
    const viewer = document.getElementById("log-viewer");
    if (!viewer) return;
    const list = document.getElementById("log-lines");
    const scroller = document.getElementById("log-scroll");
    const form = document.getElementById("log-options");
    const controls = document.getElementById("log-controls");
    const search = document.getElementById("log-search");
    const hide = document.getElementById("log-hide");
    const wrap = document.getElementById("log-wrap");
    const pauseButton = document.getElementById("log-pause");
    const status = document.getElementById("log-status");
    const latest = document.getElementById("log-latest");
    const meta = document.getElementById("log-meta");
    const max = Number(viewer.getAttribute("data-max-lines")) || 5000;
    const streamUrl = viewer.getAttribute("data-stream-url");

    let source = null;
    let lastId = "";
    let paused = false;
    let buffer = [];
    let droppedWhilePaused = 0;
    let term = "";
    let state = "connecting";
    let retryTimer = null;
    let current = "";

    controls.hidden = false;

    // --- status ---------------------------------------------------------------------------

    const STATUS_TEXT = {
      connecting: "Connecting…",
      live: "Live",
      stopped: "Container stopped — waiting for it to run again",
      reconnecting: "Reconnecting…",
      ended: "Ended",
      disconnected: "Disconnected — retrying",
    };

    function showStatus() {
      let text = STATUS_TEXT[state] || state;
      if (paused) {
        const n = buffer.length + droppedWhilePaused;
        text = "Paused — " + n + " new line" + (n === 1 ? "" : "s");
      }
      if (term) {
        const hits = list.querySelectorAll(".log-line.log-match").length;
        text += " · " + hits + " matching";
      }
      status.textContent = text;
      status.setAttribute("data-state", paused ? "paused" : state);
    }

    function setState(next) {
      state = next;
      showStatus();
    }

    // --- the stream -----------------------------------------------------------------------

    function query() {
      const params = new URLSearchParams();
      for (const [k, v] of new FormData(form)) {
        if (typeof v !== "string" || v.trim() === "") continue;
        // Defaults stay out of the URL, as the server writes it.
        const field = form.elements.namedItem(k);
        if (field && field.getAttribute && field.getAttribute("data-default") === v) continue;
        params.append(k, v.trim());
      }
      return params;
    }

    /** Opens the stream; `resume` keeps the lines shown and asks for those after the last. */
    function connect(resume) {
      if (source) source.close();
      clearTimeout(retryTimer);
      const params = query();
      current = params.toString();
      if (!resume) {
        list.textContent = "";
        buffer = [];
        droppedWhilePaused = 0;
        lastId = "";
        const qs = params.toString();
        history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : ""));
      } else if (lastId) {
        params.set("after", lastId);
      }
      setState(resume ? "reconnecting" : "connecting");
      source = new EventSource(streamUrl + "?" + params.toString());
      source.onopen = function () {
        if (state !== "stopped") setState("live");
      };
      source.onmessage = function (e) {
        if (e.lastEventId) lastId = e.lastEventId;
        receive(e.data);
      };
      source.addEventListener("meta", function (e) {
        meta.innerHTML = e.data;
      });
      source.addEventListener("end", function () {
        source.close();
        setState("ended");
      });
      source.onerror = function () {
        if (state === "ended") return;
        if (source.readyState === EventSource.CLOSED) {
          // The server refused (or is gone): try again later, from the last line seen.
          setState("disconnected");
          retryTimer = setTimeout(function () {
            connect(true);
          }, 5000);
        } else {
          setState("reconnecting");
        }
      };
    }

    function receive(html) {
      const template = document.createElement("template");
      template.innerHTML = html;
      const nodes = Array.prototype.slice.call(template.content.children);
      for (const n of nodes) {
        if (n.classList.contains("log-notice")) {
          const kind = n.getAttribute("data-kind");
          if (kind === "stopped" && !viewer.classList.contains("log-merged")) setState("stopped");
          else if (kind === "restarted") setState("live");
        }
      }
      if (paused) {
        for (const n of nodes) buffer.push(n);
        if (buffer.length > max) {
          droppedWhilePaused += buffer.length - max;
          buffer.splice(0, buffer.length - max);
        }
        showStatus();
        return;
      }
      append(nodes);
    }

    function atBottom() {
      return scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 24;
    }

    function append(nodes) {
      if (!nodes.length) return;
      const follow = atBottom();
      const fragment = document.createDocumentFragment();
      for (const n of nodes) {
        apply(n);
        fragment.appendChild(n);
      }
      list.appendChild(fragment);
      trim();
      if (follow) scroller.scrollTop = scroller.scrollHeight;
      latest.hidden = atBottom();
      if (term) showStatus();
    }

    /** Keeps at most `max` lines: the oldest go first. */
    function trim() {
      const excess = list.children.length - max;
      if (excess <= 0) return;
      const range = document.createRange();
      range.setStartBefore(list.firstElementChild);
      range.setEndAfter(list.children[excess - 1]);
      range.deleteContents();
    }

    // --- search ---------------------------------------------------------------------------

    function unmark(root) {
      const marks = root.querySelectorAll("mark.log-hit");
      if (!marks.length) return;
      for (const m of marks) m.replaceWith(document.createTextNode(m.textContent));
      root.normalize();
    }

    function mark(root, needle) {
      const lower = needle.toLowerCase();
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      for (const node of nodes) {
        const value = node.nodeValue;
        const hay = value.toLowerCase();
        let at = hay.indexOf(lower);
        if (at < 0 || hay.length !== value.length) continue;
        const fragment = document.createDocumentFragment();
        let from = 0;
        while (at >= 0) {
          if (at > from) fragment.appendChild(document.createTextNode(value.slice(from, at)));
          const hit = document.createElement("mark");
          hit.className = "log-hit";
          hit.textContent = value.slice(at, at + needle.length);
          fragment.appendChild(hit);
          from = at + needle.length;
          at = hay.indexOf(lower, from);
        }
        if (from < value.length) fragment.appendChild(document.createTextNode(value.slice(from)));
        node.replaceWith(fragment);
      }
    }

    /** Highlights the search term in one line and hides it when asked and it does not match. */
    function apply(li) {
      if (!li.classList.contains("log-line")) {
        li.hidden = Boolean(term) && hide.checked;
        return;
      }
      const text = li.querySelector(".log-text");
      if (!text) return;
      unmark(text);
      const found = Boolean(term) && text.textContent.toLowerCase().includes(term.toLowerCase());
      if (found) mark(text, term);
      li.classList.toggle("log-match", found);
      li.hidden = Boolean(term) && hide.checked && !found;
    }

    function applyAll() {
      for (const li of list.children) apply(li);
      showStatus();
      if (!hide.checked) return;
      scroller.scrollTop = scroller.scrollHeight;
    }

    let searchTimer = null;
    search.addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(function () {
        term = search.value;
        applyAll();
      }, 150);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter") e.preventDefault();
    });
    hide.addEventListener("change", applyAll);

    // --- wrap, pause, latest ----------------------------------------------------------------

    wrap.addEventListener("change", function () {
      list.classList.toggle("wrap", wrap.checked);
    });

    pauseButton.addEventListener("click", function () {
      paused = !paused;
      pauseButton.textContent = paused ? "Resume" : "Pause";
      pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
      if (!paused) {
        const waiting = buffer;
        buffer = [];
        if (droppedWhilePaused > 0) {
          const note = document.createElement("li");
          note.className = "log-notice";
          note.setAttribute("data-kind", "skipped");
          note.textContent = "— " + droppedWhilePaused + " lines skipped while paused —";
          waiting.unshift(note);
          droppedWhilePaused = 0;
        }
        const follow = atBottom();
        append(waiting);
        if (follow) scroller.scrollTop = scroller.scrollHeight;
      }
      showStatus();
    });

    latest.addEventListener("click", function () {
      scroller.scrollTop = scroller.scrollHeight;
      latest.hidden = true;
    });
    scroller.addEventListener("scroll", function () {
      latest.hidden = atBottom();
    }, { passive: true });

    // --- the options the server applies -----------------------------------------------------

    // Text fields apply on Enter (submit) or when left (change); the rest at once. Enter in a
    // changed field fires both: the second finds the options unchanged and does nothing.
    function reload() {
      const wanted = query().toString();
      if (wanted === current && source && source.readyState !== EventSource.CLOSED) return;
      connect(false);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      reload();
    });
    form.addEventListener("change", function (e) {
      if (e.target && e.target.name) reload();
    });

    addEventListener("pagehide", function () {
      if (source) source.close();
    });

    connect(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
