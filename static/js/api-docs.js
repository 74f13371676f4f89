// The API page's reference: Swagger UI (static/vendor/swagger-ui-bundle.js) renders the served
// OpenAPI document into #swagger-ui. Its styles are a stylesheet and CSSOM properties, so it
// runs under the strict CSP with no inline script or style attribute.
(function () {
  const el = document.getElementById("swagger-ui");
  if (!el || typeof globalThis.SwaggerUIBundle !== "function") return;
  globalThis.SwaggerUIBundle({
    url: el.dataset.url,
    domNode: el,
    deepLinking: true,
    docExpansion: "none",
    defaultModelsExpandDepth: 0,
    filter: true,
    tryItOutEnabled: false,
    // No call to swagger.io's online validator: the page stays on this origin.
    validatorUrl: null,
    // The signed-in session's cookie goes with "Try it out", as with every page.
    withCredentials: true,
  });
})();
