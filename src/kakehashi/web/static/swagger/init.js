// Starts Swagger UI on the spec named by the container (kept out of the HTML for the CSP).
window.addEventListener("load", function () {
  var el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: el.getAttribute("data-spec"), dom_id: "#swagger-ui" });
});
