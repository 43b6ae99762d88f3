// Behaviour for every page; no inline scripts (Content Security Policy).
(function () {
  "use strict";

  // Language switch submits on change.
  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // Formsets: "add a row" clones the empty form; "remove" ticks DELETE and hides the row.
  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var prefix = container.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = container.querySelector("template[data-empty-form]");
    var rows = container.querySelector("[data-formset-rows]");
    var addButton = container.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !addButton) { return; }
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html.trim();
      var row = wrapper.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button) { return; }
      var row = button.closest(".formset-row");
      var del = row.querySelector("input[type=checkbox][name$='-DELETE']");
      if (del) { del.checked = true; }
      row.classList.add("is-removed");
    });
  });

  // Printable records: the "Print" button opens the browser's print dialog.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
