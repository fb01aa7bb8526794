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
  var waiting = !document.getElementById("countdown");
  function again(after) {
    window.setTimeout(function () { window.location.assign(here); }, after);
  }
  if (!window.EventSource) {
    if (!document.querySelector("form.choices")) again(5000);
    return;
  }
  var events = new EventSource(source);
  var first = true;
  events.onerror = function () {
    if (events.readyState === EventSource.CLOSED && !document.querySelector("form.choices")) {
      again(5000);
    }
  };
  events.addEventListener("match", function (message) {
    var data;
    try { data = JSON.parse(message.data); } catch (error) { return; }
    if (data.turn !== turn) {
      events.close();
      say(data.turn > turn ? "Both moves are in: the turn's outcome opens." : "The match has changed.");
      again(1500);
      return;
    }
    if (data.other !== presence) {
      var line = document.getElementById("presence");
      var words = data.other === "gone"
        ? "The other student has left the match or lost the connection."
        : data.other === "here" ? "The other student is in the match." : "";
      if (line && words) line.textContent = words;
      if (words) say(words);
      presence = data.other;
    }
    if (!first && waiting && data.remaining !== null && document.querySelector("form.choices")) {
      say("Both of you have this turn on screen: your time has started.");
      events.close();
      again(1500);
    }
    first = false;
  });
})();
