// The roll call (elections/meeting_roll.html): the present count and quorum as boxes are ticked.
(function () {
  var box = document.getElementById("roll-count"), minimum = +box.dataset.minimum;
  function update() {
    var n = document.querySelectorAll("input.js-roll:checked").length, ok = n >= minimum;
    box.querySelector(".js-present").textContent = n;
    var q = box.querySelector(".js-quorum");
    q.textContent = ok ? "已超过五分之四，可以选举" : "未超过五分之四，不能选举";
    q.className = "js-quorum " + (ok ? "quorum-ok" : "quorum-no");
    box.querySelector(".js-unsaved").hidden = false;
  }
  document.addEventListener("change", function (e) { if (e.target.classList.contains("js-roll")) update(); });
})();
