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
