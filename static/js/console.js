// The container console (components/containers/console.tsx): xterm.js over the page's
// WebSocket. In "shell" mode keystrokes, pastes and the terminal's size go to a TTY exec in the
// container; in "attach" mode the terminal only shows the main process's output (read-only).
// The server sends the terminal's bytes as binary frames and JSON text frames for the rest:
// {type:"started",exec} | {type:"attached"} | {type:"ended",reason,message} | {type:"error"}.
import { Terminal } from "/static/vendor/xterm.mjs";
import { FitAddon } from "/static/vendor/addon-fit.mjs";

/**
 * xterm's DOM renderer creates <style> elements; the page's CSP admits style elements with this
 * response's nonce only (middleware/security-headers.ts), so they get it as they are made.
 */
function nonceStyles(nonce) {
  const create = document.createElement.bind(document);
  document.createElement = function (tag, options) {
    const element = create(tag, options);
    if (String(tag).toLowerCase() === "style") element.nonce = nonce;
    return element;
  };
}

const PALETTE = {
  background: "--log-bg",
  foreground: "--text",
  cursor: "--text",
  selectionBackground: "--log-hit",
  selectionForeground: "--log-hit-text",
  black: "--ansi-black",
  red: "--ansi-red",
  green: "--ansi-green",
  yellow: "--ansi-yellow",
  blue: "--ansi-blue",
  magenta: "--ansi-magenta",
  cyan: "--ansi-cyan",
  white: "--ansi-white",
  brightBlack: "--ansi-bright-black",
  brightRed: "--ansi-bright-red",
  brightGreen: "--ansi-bright-green",
  brightYellow: "--ansi-bright-yellow",
  brightBlue: "--ansi-bright-blue",
  brightMagenta: "--ansi-bright-magenta",
  brightCyan: "--ansi-bright-cyan",
  brightWhite: "--ansi-bright-white",
};

/** The page's palette (light or dark, as app.css resolves it now) as an xterm theme. */
function theme(probe) {
  const out = {};
  for (const [key, variable] of Object.entries(PALETTE)) {
    probe.style.color = `var(${variable})`;
    out[key] = getComputedStyle(probe).color;
  }
  return out;
}

/** Copies text: the Clipboard API where the page may use it, else the selection trick. */
async function copyText(text) {
  if (navigator.clipboard && globalThis.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.className = "console-probe";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}

function start(root) {
  nonceStyles(root.dataset.styleNonce);
  const shell = root.dataset.mode === "shell";
  const status = document.getElementById("console-status");
  const reconnectButton = document.getElementById("console-reconnect");
  const disconnectButton = document.getElementById("console-disconnect");
  const probe = document.createElement("span");
  probe.className = "console-probe";
  root.appendChild(probe);

  const term = new Terminal({
    cursorBlink: shell,
    disableStdin: !shell,
    convertEol: !shell,
    fontFamily: getComputedStyle(root).getPropertyValue("--mono").trim() || "monospace",
    // Smaller on a phone, so that a usual command's output fits the width.
    fontSize: root.clientWidth < 500 ? 12 : 14,
    scrollback: 5000,
    theme: theme(probe),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById("console-term"));
  // The size the TTY is given, for whoever reads the page (and the browser tests).
  const showSize = () => (root.dataset.size = `${term.cols}x${term.rows}`);
  term.onResize(showSize);
  fit.fit();
  showSize();

  const retheme = () => {
    term.options.theme = theme(probe);
  };
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", retheme);
  new MutationObserver(retheme).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });

  let socket = null;
  let started = false;
  let finished = false; // the server said why it ended, or the user disconnected
  let attempts = 0;
  let retryTimer = null;
  let everConnected = false;

  const setState = (state, text) => {
    root.dataset.state = state;
    status.textContent = text;
    reconnectButton.hidden = state === "open" || state === "connecting";
    disconnectButton.hidden = state !== "open";
  };
  const say = (text) => term.write(`\r\n\x1b[33m— ${text} —\x1b[0m\r\n`);
  const send = (message) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  /** Why the server would refuse a socket now (consoles off, container stopped, signed out). */
  async function refusal() {
    try {
      const res = await fetch(root.dataset.ready, { headers: { accept: "application/json" } });
      if (res.ok) return null;
      if (res.status === 401) return "You are signed out: sign in again, then reconnect.";
      const body = await res.json().catch(() => null);
      return body && body.message ? body.message : `The server answered ${res.status}.`;
    } catch (_e) {
      return "DockerMate cannot be reached.";
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    finished = false;
    started = false;
    setState("connecting", everConnected ? "Reconnecting…" : "Connecting…");
    const url = new URL(root.dataset.ws, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (shell) {
      url.searchParams.set("cols", String(term.cols));
      url.searchParams.set("rows", String(term.rows));
    }
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    socket = ws;
    let opened = false;
    ws.addEventListener("open", () => {
      opened = true;
      attempts = 0;
    });
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        term.write(new Uint8Array(event.data));
        return;
      }
      const message = JSON.parse(event.data);
      if (message.type === "started" || message.type === "attached") {
        if (everConnected) {
          say(shell ? "Connected to a new shell (a new docker exec)" : "Attached again");
        }
        everConnected = true;
        started = true;
        root.dataset.exec = message.exec || "";
        setState("open", shell ? "Connected" : "Attached (read-only)");
        if (shell) term.focus();
      } else if (message.type === "ended") {
        finished = true;
        say(message.message);
        setState("ended", "Ended");
      } else if (message.type === "error") {
        say(message.message);
      }
    });
    ws.addEventListener("close", async () => {
      if (socket !== ws) return;
      socket = null;
      started = false;
      if (finished) return;
      const why = opened ? null : await refusal();
      if (why) {
        finished = true;
        say(why);
        setState("ended", "Not connected");
        return;
      }
      attempts += 1;
      if (attempts > 6) {
        setState("lost", "Connection lost");
        say("The connection was lost. Reconnect opens a new shell");
        return;
      }
      const wait = Math.min(15, 2 ** (attempts - 1));
      say(
        shell
          ? `Connection lost. Reconnecting in ${wait} s: that starts a new shell (a new docker exec); the old one is ended`
          : `Connection lost. Reconnecting in ${wait} s`,
      );
      setState("lost", "Connection lost; reconnecting…");
      retryTimer = setTimeout(connect, wait * 1000);
    });
  }

  if (shell) {
    term.onData((data) => {
      if (started) send({ type: "input", data });
    });
    term.onResize(({ cols, rows }) => {
      if (started) send({ type: "resize", cols, rows });
    });
    const copy = async () => {
      const text = term.getSelection();
      if (!text) {
        status.textContent = "Select text in the terminal first";
        return;
      }
      try {
        await copyText(text);
        status.textContent = "Copied";
      } catch (_e) {
        status.textContent = "The browser refused to copy: use your system's copy";
      }
    };
    document.getElementById("console-copy").addEventListener("click", copy);
    document.getElementById("console-paste").addEventListener("click", async () => {
      try {
        term.paste(await navigator.clipboard.readText());
        term.focus();
      } catch (_e) {
        status.textContent = "The browser refused to paste here: press Ctrl+V in the terminal";
      }
    });
    term.attachCustomKeyEventHandler((event) => {
      if (event.type === "keydown" && event.ctrlKey && event.shiftKey && event.code === "KeyC") {
        event.preventDefault();
        copy();
        return false;
      }
      return true;
    });
  }

  // The terminal follows its box (window resizes, a phone turned), and the TTY follows it.
  let fitting = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(fitting);
    fitting = requestAnimationFrame(() => fit.fit());
  }).observe(document.getElementById("console-term"));

  reconnectButton.addEventListener("click", () => {
    attempts = 0;
    say(shell ? "Reconnecting: a new shell starts" : "Attaching again");
    connect();
  });
  disconnectButton.addEventListener("click", () => {
    finished = true;
    clearTimeout(retryTimer);
    socket?.close(1000, "disconnected");
    socket = null;
    say(shell ? "Disconnected: the shell is ended" : "Detached");
    setState("ended", "Disconnected");
  });

  connect();
}

const root = document.getElementById("console");
if (root) start(root);
