/* The posyandu session, faster: each row's form is sent with fetch and the row the server
   answers with replaces it, so the status shows without reloading the list. Without this
   script every row is a normal form that saves and comes back to its anchor. */
(function () {
  "use strict";

  function submitRow(event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-growth-row]") || !window.fetch) return;
    event.preventDefault();
    var row = form.closest(".growth-row");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0 || (response.status !== 200 && response.status !== 400)) {
        throw new Error("unexpected answer " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("ul");
      holder.innerHTML = html.trim();
      var fresh = holder.querySelector(".growth-row");
      if (!fresh) throw new Error("no row in the answer");
      var counted = row.classList.contains("is-measured");
      row.replaceWith(fresh);
      var count = document.querySelector("[data-measured-count]");  // the header's "measured: N" (of every page)
      if (count && !counted && fresh.classList.contains("is-measured")) {
        count.textContent = (parseInt(count.textContent, 10) || 0) + 1;
      }
      var invalid = fresh.querySelector("[aria-invalid='true'], .msg-error a");
      var next = invalid || nextRowField(fresh);
      if (next) next.focus();
    }).catch(function () {
      form.submit();  // let the server answer with the whole page
    });
  }

  function nextRowField(row) {
    var next = row.nextElementSibling;
    return next ? next.querySelector("input[name$='-weight_kg']") : null;
  }

  document.addEventListener("submit", submitRow);
})();
