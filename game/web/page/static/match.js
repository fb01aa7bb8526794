// Flashpoint's match pages, with JavaScript: live updates over server-sent events (the other
// seat's move, the other student leaving or coming back, the turn's clock starting), announced
// in the page's live region. Everything works without it: the waiting page checks again by
// itself, and every page is a form or a link.
(function () {
  "use strict";
  var body = document.body;
  var source = body.getAttribute("data-match-events");
  if (!source) return;
  var live = document.getElementById("live");
  function say(text) {
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  var here = body.getAttribute("data-match-here");
  var turn = parseInt(body.getAttribute("data-match-turn"), 10);
  var presence = body.getAttribute("data-match-presence");
  // the teacher's pacing ("" when the match keeps its own clock): a change loads the page again
  var gate = body.getAttribute("data-match-gate") || "";
  var waiting = !document.getElementById("countdown");
  // a page being read (a confirmation, an outcome): the stream keeps the seat present and
  // tells what changes; the page is never reloaded by it
  var quiet = body.hasAttribute("data-match-quiet");
  function again(after) {
    window.setTimeout(function () { window.location.assign(here); }, after);
  }
  if (!window.EventSource) {
    if (!quiet && !document.querySelector("form.choices")) again(5000);
    return;
  }
  var clock = null;
  // the turn's clock, once it runs, ticked here (the page with a countdown has page.js's)
  function count(seconds) {
    var shown = document.getElementById("time-left");
    var started = Date.now();
    clock = window.setInterval(function () {
      var left = Math.max(0, Math.ceil(seconds - (Date.now() - started) / 1000));
      if (shown) {
        shown.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2) +
          " left for your move; then one is played for you (no move in time).";
      }
      if (left === 0) {
        window.clearInterval(clock);
        say("Time is up: with no move in time, one is played for you.");
        again(2000);
      }
    }, 1000);
  }
  var events = new EventSource(source);
  var first = true;
  events.onerror = function () {
    if (events.readyState === EventSource.CLOSED && !quiet &&
        !document.querySelector("form.choices")) {
      again(5000);
    }
  };
  events.addEventListener("match", function (message) {
    var data;
    try { data = JSON.parse(message.data); } catch (error) { return; }
    if (quiet) {  // told, never reloaded
      if (!first && data.other !== presence && data.other === "gone") {
        say("The other student has left the match or lost the connection.");
      }
      presence = data.other;
      first = false;
      if (data.turn !== turn) events.close();
      return;
    }
    if (data.turn !== turn || (!quiet && (data.gate || "open") !== (gate || "open"))) {
      events.close();
      say(data.turn > turn ? "Both moves are in: the turn's outcome opens." : "The match has changed.");
      again(1500);
      return;
    }
    if (data.other !== presence) {
      var line = document.getElementById("presence");
      var words = data.other === "gone"
        ? "The other student has left the match or lost the connection."
        : data.other === "here" ? "The other student is in the match."
        : data.other === "quiet" ? "The other student is reading (no live updates)."
        : data.other === "unseen" ? "The other student has not been seen for a while." : "";
      if (line && words) line.textContent = words;
      if (words) say(words);
      presence = data.other;
    }
    if (waiting && clock === null && data.remaining !== null &&
        document.querySelector("form.choices")) {
      if (!first) say("Both of you have this turn on screen: your time has started.");
      count(data.remaining);
    }
    first = false;
  });
})();
