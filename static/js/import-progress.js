// The import run's page: poll its progress as JSON and update the counters in place; when
// the run ends, reload once to show the rejected rows. Without JS the page has a <meta
// refresh> and a reload link instead.
(function () {
  "use strict";
  var root = document.getElementById("import-run");
  if (!root || root.getAttribute("data-active") !== "1") return;
  var url = root.getAttribute("data-progress-url");
  function show(data) {
    Object.keys(data).forEach(function (name) {
      var el = root.querySelector('[data-field="' + name + '"]');
      if (el) el.textContent = data[name];
    });
    var bar = document.getElementById("import-progress");
    if (bar && data.households_valid && data.status === "running" && data.households_written) {
      bar.value = Math.min(1, data.households_written / data.households_valid);
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (data) {
        show(data);
        if (data.active) window.setTimeout(poll, 2000);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
