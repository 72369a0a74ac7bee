// The filter of a long list of tick-boxes (web/widgets.py, PickerCheckboxSelectMultiple): typing hides the
// choices whose label lacks one of the typed words, accents and case ignored; ticked choices stay in view; a
// polite live region says how many are shown and ticked. Without this script the whole list shows.
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(picker) {
    var filter = picker.querySelector(".picker__filter");
    var input = filter.querySelector("input");
    var status = filter.querySelector("[aria-live]");
    var choices = Array.prototype.map.call(picker.querySelectorAll(".picker__choice"), function (choice) {
      return { element: choice, box: choice.querySelector("input"), text: normalise(choice.textContent) };
    });
    if (!choices.length) {
      return;
    }

    function update() {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var ticked = 0;
      choices.forEach(function (choice) {
        var matches = words.every(function (word) { return choice.text.indexOf(word) !== -1; });
        var visible = matches || choice.box.checked;
        choice.element.hidden = !visible;
        if (visible) { shown += 1; }
        if (choice.box.checked) { ticked += 1; }
      });
      status.textContent = "Dans la liste : " + shown + " sur " + choices.length + ". Choix cochés : " +
        ticked + ".";
    }

    filter.hidden = false;
    picker.classList.add("picker--enhanced");
    input.addEventListener("input", update);
    // Enter in the filter must not send the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    picker.addEventListener("change", function (event) {
      if (event.target !== input) { update(); }
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), setUp);
  });
})();
