/* The Live queue's alert: a sound and the page's title when a new visitor waits.
   A file, not inline script (the console's CSP allows none). htmx refreshes the
   queue every few seconds; after each refresh this compares the waiting ids. */
(function () {
  "use strict";
  var known = null;
  var title = document.title;
  var audio = null;

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.6);
    } catch (error) {
      /* no sound (the browser refuses it before a click): the visual alert stays */
    }
  }

  function check() {
    var alert = document.getElementById("live-alert");
    if (!alert) return;
    var ids = (alert.getAttribute("data-waiting") || "").split(" ").filter(Boolean);
    var fresh = known === null ? ids : ids.filter(function (id) {
      return known.indexOf(id) < 0;
    });
    if (fresh.length) {
      beep();
      document.body.classList.add("live-ringing");
    }
    if (!ids.length) document.body.classList.remove("live-ringing");
    document.title = ids.length ? "(" + ids.length + ") " + title : title;
    known = ids;
  }

  // Browsers allow sound only after the page was clicked once.
  document.addEventListener("click", function () {
    if (audio && audio.state === "suspended") audio.resume();
  });
  document.addEventListener("htmx:afterSwap", check);
  document.addEventListener("DOMContentLoaded", check);
})();
