import type { Context } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";

/**
 * Pages that host a terminal (xterm.js, the container console). Its DOM renderer writes
 * `<style>` elements (cell size, theme) and `style` attributes (24-bit colours). Those pages
 * alone get a per-response nonce for style elements (static/js/console.js gives it to the
 * elements xterm makes) and inline style attributes. Styles only: scripts stay `'self'`.
 */
export const TERMINAL_PAGE = /^\/containers\/[^/]+\/console$/;

const onTerminalPage = (c: Context) => TERMINAL_PAGE.test(c.req.path);

/**
 * Strict CSP: scripts and styles only from our own origin; nothing inline, nothing framed. The
 * exceptions are styles only: `<style>` elements that carry this response's nonce (a fresh random
 * value per request, in `c.get("secureHeadersNonce")`), which the stack editor's CodeMirror and
 * the terminal create, and the terminal page's style attributes (above). Scripts never get a nonce. `connect-src 'self'` covers the same origin's `ws:`/`wss:`
 * (CSP Level 3), which the console's WebSocket uses.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", NONCE],
      styleSrcElem: ["'self'", NONCE],
      styleSrcAttr: [(c) => (onTerminalPage(c) ? "'unsafe-inline'" : "'none'")],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    referrerPolicy: "same-origin",
    crossOriginOpenerPolicy: "same-origin",
    crossOriginResourcePolicy: "same-origin",
    strictTransportSecurity: false,
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      usb: [],
      payment: [],
      fullscreen: ["self"],
    },
  });
