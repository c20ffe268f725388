// Starts Swagger UI on the API docs page (web/api_docs.py). A file of its own, not an inline
// script, so the page keeps a policy that runs only scripts from this origin.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
})();
