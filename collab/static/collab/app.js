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

// Type-ahead selects (collab/lookups.py): a select with more partners or programmes than a page
// can carry lists only the current choice and names a JSON search in data-lookup-url. A search
// box before it fetches matching choices as the user types and puts them in the select, the
// current choice kept. Selects in formset rows added later are set up as they appear.
(function () {
  "use strict";

  var DELAY = 250;

  function option(value, text, disabled) {
    var el = document.createElement("option");
    el.value = value;
    el.textContent = text;
    if (disabled) { el.disabled = true; el.setAttribute("data-lookup-note", ""); }
    return el;
  }

  function fieldLabel(select) {
    var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
    return label ? label.textContent.replace("*", "").trim() : "";
  }

  // Drop the previous results and notes; the empty option and the chosen one stay.
  function clearResults(select) {
    var kept = {};
    Array.prototype.slice.call(select.options).forEach(function (el) {
      if (el.hasAttribute("data-lookup-note") || (el.value !== "" && !el.selected)) {
        select.removeChild(el);
      } else {
        kept[el.value] = true;
      }
    });
    return kept;
  }

  function showResults(select, data) {
    var kept = clearResults(select);
    var results = data.results || [];
    results.forEach(function (result) {
      var value = String(result.id);
      if (!kept[value]) { select.appendChild(option(value, result.text, false)); }
    });
    if (!results.length) {
      select.appendChild(option("", select.getAttribute("data-lookup-empty") || "", true));
    } else if (data.more) {
      select.appendChild(option("", select.getAttribute("data-lookup-more") || "", true));
    }
  }

  function setUp(select) {
    if (select.hasAttribute("data-lookup-ready")) { return; }
    select.setAttribute("data-lookup-ready", "");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-lookup-placeholder") || "";
    var label = fieldLabel(select);
    var search = select.getAttribute("data-lookup-search") || "";
    input.setAttribute("aria-label", label ? search + ": " + label : search);
    if (select.id) {
      input.id = select.id + "-lookup";
      input.setAttribute("aria-controls", select.id);
    }
    select.parentNode.insertBefore(input, select);

    var timer = null;
    var controller = null;
    var last = null;

    function run() {
      var query = input.value.trim();
      if (query === last) { return; }
      last = query;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = new URL(select.getAttribute("data-lookup-url"), window.location.href);
      url.searchParams.set("q", query);
      fetch(url.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        showResults(select, data);
      }).catch(function (error) {
        if (error.name === "AbortError") { return; }
        last = null;  // the same words may be tried again
        clearResults(select);
        select.appendChild(option("", select.getAttribute("data-lookup-error") || "", true));
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      // Enter searches at once instead of submitting the form with the old choice.
      if (event.key === "Enter") {
        event.preventDefault();
        window.clearTimeout(timer);
        run();
      }
    });
  }

  function setUpWithin(root) {
    if (root.matches && root.matches("select[data-lookup-url]")) { setUp(root); }
    if (root.querySelectorAll) {
      root.querySelectorAll("select[data-lookup-url]").forEach(setUp);
    }
  }

  setUpWithin(document);
  // Rows added by "add a row" (the formset block above) are clones of a <template>.
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) { return; }
        var focused = document.activeElement;
        setUpWithin(node);
        // The new row's select had the focus before its search box existed: give it the box.
        if (focused && focused.matches && focused.matches("select[data-lookup-url]") &&
            node.contains(focused) && focused.previousElementSibling &&
            focused.previousElementSibling.tagName === "INPUT") {
          focused.previousElementSibling.focus();
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
