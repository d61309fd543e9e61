// Interactive transcript: a time link seeks the lesson audio and plays it. While it plays, the
// turn being spoken is marked and kept in view, and within it the sentence, and the word where
// the voice timed its words. Marks are classes only: nothing is announced to screen readers
// (the audio itself is speaking), and aria-current names the turn. Without this script the
// links still open the MP3 at the right time (media fragments), so the page works with
// JavaScript off.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) { return; }

  function timed(selector) {
    var nodes = Array.prototype.slice.call(document.querySelectorAll(selector));
    return {
      nodes: nodes,
      starts: nodes.map(function (node) { return parseFloat(node.getAttribute("data-start")); }),
      ends: nodes.map(function (node) { return parseFloat(node.getAttribute("data-end")); }),
      current: -1
    };
  }

  var turns = timed(".turn");
  var sentences = timed(".sentence");
  var words = timed(".word");

  // The last item starting at or before `time` (a small lead, so a seek lands inside it).
  function indexAt(list, time, untilEnd) {
    var low = 0, high = list.starts.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (list.starts[middle] <= time + 0.05) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    if (untilEnd && found >= 0 && time > list.ends[found] + 0.05) { return -1; }
    return found;
  }

  function mark(list, index, className, onChange) {
    if (index === list.current) { return false; }
    if (list.current >= 0) { list.nodes[list.current].classList.remove(className); }
    list.current = index;
    if (index >= 0) { list.nodes[index].classList.add(className); }
    if (onChange) { onChange(index); }
    return true;
  }

  function markTurn(index, scroll) {
    var previous = turns.current;
    if (!mark(turns, index, "current")) { return; }
    if (previous >= 0) { turns.nodes[previous].removeAttribute("aria-current"); }
    if (index < 0) { return; }
    turns.nodes[index].setAttribute("aria-current", "true");
    if (scroll && turns.nodes[index].scrollIntoView) {
      turns.nodes[index].scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  function show(scroll) {
    var time = audio.currentTime;
    markTurn(indexAt(turns, time, false), scroll);
    mark(sentences, indexAt(sentences, time, true), "current");
    mark(words, indexAt(words, time, true), "current");
  }

  // timeupdate comes about four times a second: enough for turns, too slow for words.
  var frame = 0;
  function follow() {
    show(true);
    frame = audio.paused ? 0 : window.requestAnimationFrame(follow);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.seek") : null;
    if (!link) { return; }
    event.preventDefault();
    audio.currentTime = parseFloat(link.getAttribute("data-start"));
    show(false);
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () { /* autoplay refused: seeking still done */ }); }
  });

  audio.addEventListener("play", function () { if (!frame) { frame = window.requestAnimationFrame(follow); } });
  audio.addEventListener("timeupdate", function () { show(!audio.paused); });
  audio.addEventListener("seeked", function () { show(false); });
})();
