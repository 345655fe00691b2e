/* Every page: the language menu in the header switches at once (no inline handler, so the
   Content-Security-Policy can forbid inline script everywhere). */
(function () {
  "use strict";
  document.querySelectorAll("form.lang select[name=language]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
