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

  // A form sent back with errors: the focus goes to their summary, which a screen reader then
  // reads (templates/includes/form_errors.html, error_summary.html).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // A background export's page (templates/collab/export_job.html): its status is fetched again
  // every data-refresh seconds and replaced in place until the export is finished.
  var status = document.getElementById("export-status");
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("export-status");
        if (!fresh) { return; }
        status.innerHTML = fresh.innerHTML;
        if (fresh.dataset.refresh) { window.setTimeout(refresh, fresh.dataset.refresh * 1000); }
      })
      .catch(function () { window.setTimeout(refresh, status.dataset.refresh * 1000); });
  }
  if (status && status.dataset.refresh) { window.setTimeout(refresh, status.dataset.refresh * 1000); }

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

// Drafts of the long forms (meeting, agreement) in the browser's storage, so that a dropped
// connection or a closed tab loses nothing. The form names its key in data-draft
// ("collab-draft:<user id>:<path>": per user and per record). Every change is written there;
// opening the page again with a draft and no input from the server restores it (rows added as
// needed) with a notice that offers to discard it. A successful save names the key on the next
// page (data-draft-saved on <body>), which removes it; signing out removes every draft.
(function () {
  "use strict";

  var PREFIX = "collab-draft:";
  var MAX_AGE = 7 * 24 * 60 * 60 * 1000;
  var SKIPPED = { csrfmiddlewaretoken: true };

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function read(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      if (draft && draft.fields && Date.now() - draft.savedAt < MAX_AGE) { return draft; }
    } catch (e) { /* a damaged draft is dropped below */ }
    store.removeItem(key);
    return null;
  }

  function forget(prefix) {
    var store = storage();
    if (!store) { return; }
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) { store.removeItem(key); }
    }
  }

  var saved = document.body.getAttribute("data-draft-saved");
  if (saved) { forget(saved); }

  // Once signing out has begun, no draft is written again: a save still waiting for its
  // 400 ms would otherwise put one back after forget() and before the page unloads.
  var signingOut = false;
  document.querySelectorAll(".js-signout").forEach(function (form) {
    form.addEventListener("submit", function () {
      signingOut = true;
      forget(PREFIX);
    });
  });

  function fieldsOf(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIPPED[el.name] || el.type === "file" || el.disabled) { return; }
      if (el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        fields.push({ name: el.name, value: el.value, checked: el.checked });
      } else if (el.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(el.options, function (o) { return o.selected; });
        fields.push({
          name: el.name,
          values: chosen.map(function (o) { return o.value; }),
          texts: chosen.map(function (o) { return o.textContent; })
        });
      } else {
        fields.push({ name: el.name, value: el.value });
      }
    });
    return fields;
  }

  function addRows(form, fields) {
    fields.forEach(function (field) {
      var match = /^(.*)-TOTAL_FORMS$/.exec(field.name);
      if (!match) { return; }
      var container = form.querySelector("[data-formset='" + match[1] + "']");
      var total = form.querySelector("[name='" + field.name + "']");
      var add = container && container.querySelector("[data-formset-add]");
      var wanted = parseInt(field.value, 10);
      var guard = 0;
      while (add && total && parseInt(total.value, 10) < wanted && guard < 1000) {
        add.click();
        guard += 1;
      }
    });
  }

  function fill(form, fields) {
    var byName = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name) { (byName[el.name] = byName[el.name] || []).push(el); }
    });
    fields.forEach(function (field) {
      if (/-TOTAL_FORMS$/.test(field.name)) { return; }
      (byName[field.name] || []).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === field.value) { el.checked = field.checked; }
          if (field.checked && /-DELETE$/.test(el.name)) {
            var row = el.closest(".formset-row");
            if (row) { row.classList.add("is-removed"); }
          }
        } else if (el.tagName === "SELECT" && field.values) {
          field.values.forEach(function (value, index) {
            var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
            if (!known) {
              // A type-ahead select lists only its current choice: bring the draft's back.
              var extra = document.createElement("option");
              extra.value = value;
              extra.textContent = field.texts[index] || value;
              el.appendChild(extra);
            }
          });
          Array.prototype.forEach.call(el.options, function (o) {
            o.selected = field.values.indexOf(o.value) !== -1;
          });
        } else if (el.type !== "file" && field.value !== undefined) {
          el.value = field.value;
        }
      });
    });
  }

  function when(savedAt) {
    var date = new Date(savedAt);
    var time = date.toLocaleTimeString([document.documentElement.lang || "id"], {
      hour: "2-digit", minute: "2-digit"
    });
    if (date.toDateString() === new Date().toDateString()) { return time; }
    return date.toLocaleDateString([document.documentElement.lang || "id"]) + " " + time;
  }

  function notice(form, key, draft) {
    var box = document.createElement("div");
    box.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
    box.setAttribute("role", "status");
    box.setAttribute("data-draft-notice", "");
    var text = document.createElement("span");
    text.textContent = (form.getAttribute("data-draft-restored") || "").replace("{time}", when(draft.savedAt));
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.textContent = form.getAttribute("data-draft-discard") || "";
    discard.addEventListener("click", function () {
      var store = storage();
      if (store) { store.removeItem(key); }
      window.location.reload();
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var store = storage();
    var key = form.getAttribute("data-draft");
    if (!store || key.indexOf(PREFIX) !== 0) { return; }
    // Input the server sent back (errors, a conflict, a form kept over a sign-in) is newer than
    // any draft: it is not overwritten, and the draft follows it from the first change on.
    if (!form.hasAttribute("data-draft-bound")) {
      var draft = read(store, key);
      if (draft) {
        addRows(form, draft.fields);
        fill(form, draft.fields);
        notice(form, key, draft);
      }
    }
    var timer = null;
    function save() {
      timer = null;
      if (signingOut) { return; }
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fieldsOf(form) }));
      } catch (e) { /* storage full or refused: the form still works without a draft */ }
    }
    function later() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, 400);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("click", function (event) {
      if (event.target.closest("[data-formset-add], [data-formset-remove]")) { later(); }
    });
    // Written at once when saving: the request may never arrive.
    form.addEventListener("submit", function () {
      if (timer) { window.clearTimeout(timer); }
      save();
    });
  });
})();
