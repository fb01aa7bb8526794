// Flashpoint's class page, with JavaScript: live updates over server-sent events (the
// teacher opening a decision, a pause, another tab's decision) and the decision's countdown,
// announced in the page's live region. Everything works without it: forms, links, and the
// waiting page checks again by itself.
(function () {
  "use strict";
  var live = document.getElementById("live");
  function say(text) {
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  var WORDS = {
    open: "Your teacher opened the decision.",
    waiting: "Waiting for your teacher to open the next decision.",
    paused: "The class is paused.",
    expired: "Time is up: no move in time. A move was played for you.",
    ended: "Your teacher has ended the class."
  };
  var body = document.body;
  // the page again, or (time is up) the outcome of the move played for the student
  function go(outcome) {
    var after = body.getAttribute("data-outcome");
    if (outcome && after) window.location.assign(after);
    else window.location.reload();
  }
  var source = body.getAttribute("data-events");
  var shown = body.getAttribute("data-gate");
  var quiet = body.hasAttribute("data-quiet");
  var said = null;
  // a page that waits checks again by itself, as the page without a script does, whenever
  // the live stream is refused or lost
  function fallback() {
    if (!quiet && shown !== "open") window.setTimeout(function () { go(false); }, 5000);
  }
  if (source && !window.EventSource) fallback();
  if (!source && body.hasAttribute("data-recheck")) {
    window.setTimeout(function () { go(false); }, 5000);
  }
  if (source && window.EventSource) {
    var events = new EventSource(source);
    events.onerror = function () {
      if (events.readyState === EventSource.CLOSED) fallback();
    };
    events.addEventListener("gate", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (error) { return; }
      if (quiet) {  // a page being read (an outcome): told, never reloaded
        if (said !== null && data.state !== said) say(WORDS[data.state] || "");
        said = data.state;
        return;
      }
      if (data.state !== shown || data.changed) {
        say(data.changed ? "Your round changed in another tab." : (WORDS[data.state] || ""));
        events.close();
        window.setTimeout(function () { go(data.state === "expired"); }, 1500);
      }
    });
  }
  var clock = document.getElementById("countdown");
  if (clock) {
    var left = parseInt(clock.getAttribute("data-seconds"), 10);
    var started = Date.now();
    var told = {};
    var tick = function () {
      var now = Math.max(0, left - Math.floor((Date.now() - started) / 1000));
      clock.textContent = Math.floor(now / 60) + ":" + ("0" + (now % 60)).slice(-2);
      [60, 30, 10].forEach(function (mark) {
        if (now <= mark && left > mark && !told[mark]) {
          told[mark] = true;
          say(mark + " seconds left to decide.");
        }
      });
      if (now === 0) {
        window.clearInterval(timer);
        say(WORDS.expired);
        window.setTimeout(function () { go(true); }, 2000);
      }
    };
    var timer = window.setInterval(tick, 1000);
  }
})();
