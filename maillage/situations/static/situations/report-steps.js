// The report, step by step (ADR 0023): on a phone, or on request on a wide screen, the one form shows one section
// at a time, then « Vérifiez avant d'envoyer » lists every answer with a « Modifier » link; only that last step
// sends. Nothing leaves the browser before: no draft of identities on the server. The step is in the address
// (#etape-2), so the phone's back button goes back a step. Without JavaScript, or when the server sends the form
// back with errors (no data-report-steps then), the whole form shows as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-report-steps]");
  if (!form || !window.history.pushState) { return; }
  var steps = Array.prototype.slice.call(form.querySelectorAll(".report-step"));
  var mode = form.querySelector("[data-steps-mode]");
  var errors = form.querySelector("[data-step-errors]");
  var send = form.querySelector("[data-send]");
  var summary = form.querySelector("[data-check-summary]");
  var title = document.title;
  var current = -1; // -1: the whole form shows
  var backToCheck = false; // after « Modifier », « Continuer » returns to the check page

  function text(element) {
    // A label's or legend's words, without « (facultatif) ».
    var copy = element.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".optional, .step-count"), function (e) { e.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim().replace(/\s*:$/, "");
  }

  function labelOf(field) {
    var legend = field.querySelector("legend");
    var control = field.querySelector("input, select, textarea");
    return text(legend || form.querySelector("label[for='" + control.id + "']"));
  }

  function controls(field) {
    // The filter field of a long list of boxes (picker.js) is a tool, not an answer.
    return Array.prototype.slice.call(field.querySelectorAll("input:not([type=hidden]):not([type=search]), select, textarea"));
  }

  function frenchDate(value) {
    var parts = value.split("-");
    var date = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    return isNaN(date) ? value : date.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  // What a control holds, in words ("" when nothing was typed or chosen, or the choice left as it was).
  function answer(control) {
    if (control.type === "checkbox" || control.type === "radio") {
      return control.checked ? text(control.closest("label") || form.querySelector("label[for='" + control.id + "']")) : "";
    }
    if (control.tagName === "SELECT") {
      var option = control.options[control.selectedIndex];
      return option && control.value && !(control.closest(".person-fieldset") && option.defaultSelected) ? option.text : "";
    }
    var value = control.value.trim();
    return value && control.type === "date" ? frenchDate(value) : value;
  }

  function answers(field) {
    return controls(field).map(answer).filter(Boolean);
  }

  // « Continuer »: the step's required answers, with the server's own messages (data-required).
  function missing(step) {
    return Array.prototype.filter.call(step.querySelectorAll("[data-required]"), function (field) {
      var condition = field.getAttribute("data-required-if");
      if (condition) {
        var pair = condition.split("=");
        var chosen = form.querySelector("input[name='" + pair[0] + "']:checked");
        if (!chosen || chosen.value !== pair[1]) { return false; }
      }
      return answers(field).length === 0;
    });
  }

  function clearErrors() {
    errors.hidden = true;
    Array.prototype.forEach.call(form.querySelectorAll("[data-step-error]"), function (message) {
      var field = message.closest(".field");
      field.classList.remove("field--error");
      controls(field).forEach(function (control) {
        control.removeAttribute("aria-invalid");
        var described = control.getAttribute("data-described-by");
        if (described) { control.setAttribute("aria-describedby", described); } else { control.removeAttribute("aria-describedby"); }
        control.removeAttribute("data-described-by");
      });
      message.remove();
    });
  }

  function showErrors(fields) {
    clearErrors();
    var list = errors.querySelector("ul");
    list.textContent = "";
    fields.forEach(function (field) {
      var control = controls(field)[0];
      var label = labelOf(field);
      var message = field.getAttribute("data-required");
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + control.id;
      link.textContent = label + (/[?:]$/.test(label) ? " " : " : ") + message;
      item.appendChild(link);
      list.appendChild(item);
      var inline = document.createElement("p");
      inline.className = "errorlist";
      inline.id = control.id + "_step_error";
      inline.setAttribute("data-step-error", "");
      inline.textContent = message;
      field.classList.add("field--error");
      (field.querySelector("legend") || field.querySelector("label")).after(inline);
      controls(field).forEach(function (each) {
        var described = each.getAttribute("aria-describedby");
        if (described) { each.setAttribute("data-described-by", described); }
        each.setAttribute("aria-invalid", "true");
        each.setAttribute("aria-describedby", ((described ? described + " " : "") + inline.id));
      });
    });
    errors.hidden = false;
    errors.focus();
  }

  function goTo(control) {
    var group = control.closest("fieldset");
    var isChoice = control.type === "radio" || control.type === "checkbox";
    var label = (isChoice && group && group.querySelector("legend")) || form.querySelector("label[for='" + control.id + "']");
    (label || control).scrollIntoView();
    control.focus({ preventScroll: true });
  }

  // One line of the check page: what was asked, the answer, « Modifier » leading back to the field.
  function row(list, step, label, value, control) {
    var line = document.createElement("div");
    var term = document.createElement("dt");
    var detail = document.createElement("dd");
    var action = document.createElement("dd");
    var link = document.createElement("a");
    var hidden = document.createElement("span");
    term.textContent = label;
    detail.textContent = value;
    link.href = "#etape-" + (step + 1);
    link.textContent = "Modifier";
    hidden.className = "visually-hidden";
    hidden.textContent = " : " + label;
    link.appendChild(hidden);
    link.setAttribute("data-edit", control.id);
    action.className = "summary-list__action";
    action.appendChild(link);
    line.append(term, detail, action);
    list.appendChild(line);
  }

  function buildCheck() {
    summary.textContent = "";
    steps.slice(0, -1).forEach(function (step, index) {
      var heading = document.createElement("h3");
      var list = document.createElement("dl");
      heading.textContent = text(step.querySelector("h2"));
      list.className = "summary-list";
      var group = null; // the formset being read: when none of its blocks was filled, its first says so
      function endGroup() {
        if (group && !group.filled) {
          var first = group.first;
          row(list, index, first.getAttribute("data-group"), first.getAttribute("data-empty"), controls(first)[0]);
        }
        group = null;
      }
      Array.prototype.forEach.call(step.children, function (child) {
        if (child.classList.contains("field")) {
          var values = answers(child);
          var value = child.hasAttribute("data-masked") ? (values.length ? "Renseigné (masqué)" : "Non renseigné")
            : values.join(", ") || "Non renseigné";
          row(list, index, labelOf(child), value, controls(child)[0]);
        } else if (child.classList.contains("person-fieldset")) {
          if (child.hasAttribute("data-empty")) { endGroup(); group = { first: child, filled: false }; }
          var parts = controls(child).map(function (control) {
            var value = answer(control);
            return value && text(form.querySelector("label[for='" + control.id + "']")) + " : " + value;
          }).filter(Boolean);
          if (parts.length) {
            group.filled = true;
            row(list, index, text(child.querySelector("legend")), parts.join("\n"), controls(child)[0]);
          }
        }
      });
      endGroup();
      summary.append(heading, list);
    });
  }

  function show(index, how, focus) {
    clearErrors();
    current = index;
    steps.forEach(function (step, i) {
      step.hidden = i !== index;
      var count = step.querySelector("[data-step-count]");
      count.hidden = false;
      count.textContent = "Étape " + (i + 1) + " sur " + steps.length;
      step.querySelector("[data-step-nav]").hidden = false;
      step.querySelector("[data-step-back]").hidden = i === 0;
    });
    send.hidden = index !== steps.length - 1;
    mode.querySelector("[data-steps-start]").hidden = true;
    mode.querySelector("[data-steps-stop]").hidden = false;
    if (index === steps.length - 1) { buildCheck(); backToCheck = false; }
    var heading = steps[index].querySelector("h2");
    document.title = "Étape " + (index + 1) + " sur " + steps.length + " : " + text(heading) + " — " + title;
    if (how) { window.history[how + "State"]({ reportStep: index }, "", "#etape-" + (index + 1)); }
    if (focus) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function showAll() {
    clearErrors();
    current = -1;
    backToCheck = false;
    steps.forEach(function (step, i) {
      step.hidden = i === steps.length - 1;
      step.querySelector("[data-step-count]").hidden = true;
      step.querySelector("[data-step-nav]").hidden = true;
    });
    send.hidden = false;
    mode.querySelector("[data-steps-start]").hidden = false;
    mode.querySelector("[data-steps-stop]").hidden = true;
    document.title = title;
  }

  function next() {
    var wrong = missing(steps[current]);
    if (wrong.length) { showErrors(wrong); return; }
    show(backToCheck ? steps.length - 1 : current + 1, "push", true);
  }

  form.addEventListener("click", function (event) {
    var target = event.target.closest("button, a");
    if (!target) { return; }
    if (target.hasAttribute("data-step-next")) { next(); }
    if (target.hasAttribute("data-step-back")) { show(current - 1, "push", true); }
    if (target.hasAttribute("data-steps-start")) { show(0, "push", true); }
    if (target.hasAttribute("data-steps-stop")) {
      showAll();
      window.history.pushState(null, "", window.location.pathname + window.location.search);
      steps[0].querySelector("h2").setAttribute("tabindex", "-1");
      steps[0].querySelector("h2").focus();
    }
    if (target.hasAttribute("data-edit")) {
      event.preventDefault();
      var control = document.getElementById(target.getAttribute("data-edit"));
      show(steps.indexOf(control.closest(".report-step")), "push", false);
      backToCheck = true;
      goTo(control);
    }
    if (target.closest("[data-step-errors]") && target.tagName === "A") {
      event.preventDefault();
      goTo(document.getElementById(target.getAttribute("href").slice(1)));
    }
  });

  // Enter in a field « continues » rather than sending a half-filled report.
  form.addEventListener("submit", function (event) {
    if (current !== -1 && current !== steps.length - 1) {
      event.preventDefault();
      next();
    }
  });

  window.addEventListener("popstate", function (event) {
    var state = event.state;
    if (state && typeof state.reportStep === "number") {
      show(state.reportStep, null, true);
    } else if (current !== -1) {
      showAll();
    }
  });

  mode.hidden = false;
  if (window.matchMedia("(max-width: 40em)").matches) {
    show(0, "replace", false);
  } else {
    showAll();
  }
})();
