// The projector page, kept up to date: every 2 seconds the page is fetched again and its main
// part replaced; between fetches the decision's countdown goes down each second. Without
// JavaScript the page refreshes itself every 5 seconds (the <noscript> refresh).
(function () {
  "use strict";
  var left = null;

  function start(main) {
    var remaining = main.getAttribute("data-remaining");
    left = remaining === "" || remaining === null ? null : parseInt(remaining, 10);
  }

  function tick() {
    var shown = document.getElementById("countdown");
    if (left === null || shown === null) { return; }
    left = Math.max(0, left - 1);
    shown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  function update() {
    fetch("/teacher/projector", { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("projector");
        var main = document.getElementById("projector");
        if (fresh !== null && main !== null) {
          main.replaceWith(fresh);
          start(fresh);
        }
      })
      .catch(function () {
        var state = document.getElementById("state");
        if (state !== null) { state.textContent = "The class server is not answering."; }
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var main = document.getElementById("projector");
    if (main !== null) { start(main); }
    setInterval(tick, 1000);
    setInterval(update, 2000);
  });
})();
