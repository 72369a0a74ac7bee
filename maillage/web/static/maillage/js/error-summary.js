// Moves focus to the error summary when a page comes back with mistakes, so that it is read first; each link of
// the summary then moves focus to its field and shows the field's label (or its group's legend) above it.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var group = field.closest("fieldset");
    var isChoice = field.type === "radio" || field.type === "checkbox";
    var label = (isChoice && group && group.querySelector("legend")) ||
      document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
