// Ballot entry by keyboard (elections/round_entry.html): 1 for, 2 against, 0/3 abstain, then the next row.
(function () {
  var form = document.getElementById("ballot-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".ballot-row"));
  var keys = {"1": "for", "2": "against", "0": "abstain", "3": "abstain"};
  function focusRow(i) {
    if (i >= rows.length) { var w = form.querySelector(".write-ins input, .ballot-extra input"); if (w) w.focus(); return; }
    var r = rows[i].querySelector("input:checked") || rows[i].querySelector("input");
    if (r) r.focus();
  }
  rows.forEach(function (row, i) {
    row.addEventListener("keydown", function (e) {
      var value = keys[e.key];
      if (!value || e.target.type !== "radio") return;
      var input = row.querySelector('input[value="' + value + '"]');
      if (input) { input.checked = true; e.preventDefault(); focusRow(i + 1); }
    });
  });
  if (!form.querySelector(".errorlist li")) focusRow(0);
})();
