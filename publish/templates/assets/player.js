// Interactive transcript: a time link seeks the lesson audio and plays it; the turn being
// spoken is marked and kept in view. Without this script the links still open the MP3 at
// the right time (media fragments), so the page works with JavaScript off.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) { return; }
  var turns = Array.prototype.slice.call(document.querySelectorAll(".turn"));
  var starts = turns.map(function (turn) { return parseFloat(turn.getAttribute("data-start")); });
  var current = -1;

  function indexAt(time) {
    var found = -1;
    for (var i = 0; i < starts.length; i++) {
      if (starts[i] <= time + 0.05) { found = i; } else { break; }
    }
    return found;
  }

  function mark(index, scroll) {
    if (index === current) { return; }
    if (current >= 0) {
      turns[current].classList.remove("current");
      turns[current].removeAttribute("aria-current");
    }
    current = index;
    if (index < 0) { return; }
    turns[index].classList.add("current");
    turns[index].setAttribute("aria-current", "true");
    if (scroll && turns[index].scrollIntoView) {
      turns[index].scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.seek") : null;
    if (!link) { return; }
    event.preventDefault();
    var start = parseFloat(link.getAttribute("data-start"));
    audio.currentTime = start;
    mark(indexAt(start), false);
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () { /* autoplay refused: seeking still done */ }); }
  });

  audio.addEventListener("timeupdate", function () { mark(indexAt(audio.currentTime), !audio.paused); });
  audio.addEventListener("seeked", function () { mark(indexAt(audio.currentTime), false); });
})();
