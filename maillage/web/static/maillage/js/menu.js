// Phones: the account menu and the main navigation fold behind a « Menu » button, so that the first screen
// shows the page. Without JavaScript both stay open (the class below is never set).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  if (!button) return;
  var panels = document.querySelectorAll(".collapsible");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panels.forEach(function (panel) { panel.classList.toggle("is-open", open); });
  });
});
