import { NONCE, secureHeaders } from "hono/secure-headers";

/**
 * Strict CSP: scripts and styles only from our own origin; nothing inline, nothing framed.
 * The one exception: `<style>` elements that carry this response's nonce (a fresh random value
 * per request, in `c.get("secureHeadersNonce")`), which the stack editor's CodeMirror creates.
 * Scripts never get a nonce.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", NONCE],
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
