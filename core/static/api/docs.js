// Starts Swagger UI or Redoc on the API's schema (no inline script: the pages' CSP forbids it).
(function () {
  var root = document.getElementById("api-docs");
  var schemaUrl = root.dataset.schemaUrl;
  if (root.dataset.redoc) {
    Redoc.init(schemaUrl, {}, root);
    return;
  }
  SwaggerUIBundle({
    url: schemaUrl,
    dom_id: "#api-docs",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    persistAuthorization: false,
    requestInterceptor: function (request) {
      // The page is signed in with the session: its writes carry the CSRF token like a form.
      request.headers["X-CSRFToken"] = root.dataset.csrfToken;
      return request;
    },
  });
})();
