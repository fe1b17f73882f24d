/* Small enhancements; every form also works without this script. */
(function () {
  "use strict";

  function setupFormset(box) {
    var prefix = box.dataset.prefix;
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = box.querySelector("template");
    var rows = box.querySelector("[data-rows]");
    var addButton = box.querySelector("[data-add-row]");

    function wireRemove(row) {
      var removeBox = row.querySelector("input[name$='-DELETE']");
      if (!removeBox) return;
      var wrapper = removeBox.closest(".field, div");
      if (wrapper) wrapper.hidden = true;
      var button = row.querySelector("[data-remove-row]");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        removeBox.checked = true;
        row.hidden = true;
        var next = box.querySelector(".member-row:not([hidden]) input, .member-row:not([hidden]) select");
        if (next) next.focus();
      });
    }

    box.querySelectorAll(".member-row").forEach(wireRemove);
    if (!addButton || !template) return;
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = index + 1;
      wireRemove(row);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
  }

  // A field that matters for one choice only (the exit reason) shows when that is chosen.
  function setupShowWhen(box) {
    var form = box.closest("form");
    function update() {
      var chosen = form.querySelector("input[name=to]:checked");
      var wanted = chosen && chosen.value === box.dataset.showWhen;
      box.hidden = !wanted && !box.querySelector(".errorlist");
    }
    form.addEventListener("change", update);
    update();
  }

  // The attendance picker: the name filter works as one types, and the count follows the
  // ticks. Without the script the "Cari" button filters and the server counts.
  function setupAttendance(box) {
    var filter = box.querySelector("[data-attendance-filter]");
    var count = box.querySelector("[data-ticked-count]");
    var rows = box.querySelectorAll("[data-name]");
    function recount() {
      if (!count) return;
      var ticked = box.querySelectorAll("input[name=attendees]:checked, [data-ticked-hidden]").length;
      count.textContent = ticked;
    }
    box.addEventListener("change", recount);
    if (!filter) return;
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var name = row.dataset.name;
        row.hidden = !words.every(function (w) { return name.indexOf(w) !== -1; });
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // filtering needs no submit
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(setupFormset);
    document.querySelectorAll("[data-show-when]").forEach(setupShowWhen);
    document.querySelectorAll("[data-attendance]").forEach(setupAttendance);
  });
})();

/* After a failed save the server marks the first field in error `autofocus`; bring its
   label into view with it (the page works without this). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.querySelector("[autofocus][aria-invalid='true']");
    if (!field) return;
    (field.closest("div") || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
