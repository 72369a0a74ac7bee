// Quick exit from the public help page: the button, Escape, or Shift pressed three times within a second
// replace the page by a neutral site. `location.replace` swaps the current history entry, so the back button
// does not return here. Without JavaScript the button is a plain link to the same site.
(function () {
  "use strict";
  var button = document.querySelector("[data-quick-exit]");
  if (!button) return;
  var target = button.getAttribute("href");
  var leaving = false;

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }

  button.addEventListener("click", leave);

  var shifts = [];
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      leave(event);
      return;
    }
    if (event.key !== "Shift" || event.repeat) return;
    var now = Date.now();
    shifts = shifts.filter(function (t) { return now - t < 1000; });
    shifts.push(now);
    if (shifts.length >= 3) leave(event);
  });

  // From the list of territories to one: the list's history entry is replaced too.
  document.querySelectorAll("a[data-replace]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.getAttribute("href"));
    });
  });

  // Links within the page move focus without adding a history entry (back must not come back here).
  document.querySelectorAll('a[href^="#"]').forEach(function (link) {
    link.addEventListener("click", function (event) {
      var id = link.getAttribute("href").slice(1);
      var destination = id && document.getElementById(id);
      if (!destination) return;
      event.preventDefault();
      destination.focus();
      destination.scrollIntoView();
    });
  });
})();
