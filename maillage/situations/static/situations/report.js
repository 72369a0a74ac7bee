// Shows the immediate-danger guidance as soon as "Oui" is chosen (the confirmation page repeats it anyway).
(function () {
  "use strict";
  var guidance = document.getElementById("urgent-guidance");
  if (!guidance) { return; }
  var radios = document.querySelectorAll('input[name="urgent"]');
  function update() {
    var checked = document.querySelector('input[name="urgent"]:checked');
    guidance.hidden = !(checked && checked.value === "oui");
  }
  for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", update); }
  update();
})();

// "Ajouter un enfant": the empty blocks after the first stay folded until asked for, one at a time; focus goes to
// the new block's first field. Without JavaScript every block shows and the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-unfold]");
  if (!button) { return; }
  var folded = Array.prototype.slice.call(document.querySelectorAll("fieldset[data-folded]"));
  if (!folded.length) { return; }
  folded.forEach(function (block) { block.hidden = true; });
  button.hidden = false;
  button.addEventListener("click", function () {
    var block = folded.shift();
    block.hidden = false;
    block.querySelector("input, select, textarea").focus();
    if (!folded.length) { button.hidden = true; }
  });
})();
