// The desk's reading field (counting/_reading.html): shows each typed mark against its candidate.
(function () {
  var reading = document.getElementById(document.currentScript.dataset.reading);
  var key = document.getElementById("id_key");
  var items = Array.prototype.slice.call(document.querySelectorAll("#desk-candidates li"));
  var counter = document.getElementById("reading-count");
  var marks = {"o": "for", "O": "for", "1": "for", "○": "for", "x": "against", "X": "against", "2": "against", "×": "against",
               ".": "abstain", "0": "abstain", " ": "abstain", "。": "abstain"};
  var signs = {"for": "○", "against": "×", "abstain": "·"};
  function show() {
    var text = reading.value;
    items.forEach(function (li, i) {
      var mark = li.querySelector(".desk-mark");
      var ch = text.charAt(i);
      var kind = i < text.length ? marks[ch] : null;
      mark.className = "desk-mark" + (kind ? " " + kind : (i < text.length ? " bad" : ""));
      mark.textContent = kind ? signs[kind] : (i < text.length ? ch : "");
      li.classList.toggle("current", document.activeElement === reading && i === text.length);
    });
    counter.textContent = text.length + " / " + items.length;
  }
  reading.addEventListener("input", show);
  reading.addEventListener("focus", show);
  reading.addEventListener("blur", show);
  if (key) {
    key.addEventListener("focus", function () { key.select(); });
    // Enter in the number field moves on to the marks; Enter in the marks submits.
    key.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); reading.focus(); }
    });
  }
  show();
  // After a refusal the cursor goes to the field the message is about (the marks when the
  // message is about the ballot as a whole); otherwise to the sheet number.
  var target = key || reading;
  var error = document.querySelector(".desk-form .errorlist");
  if (error) {
    var field = error.previousElementSibling;
    // (a message about the whole ballot follows the hidden CSRF input, which takes no focus)
    target = field && field.tagName === "INPUT" && field.type !== "hidden" ? field : reading;
  }
  target.focus();
})();
