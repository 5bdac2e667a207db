// The counting board (counting/board.html): polls the tally every two seconds.
(function () {
  var url = document.currentScript.dataset.url;
  var bar = document.getElementById("bar");
  bar.style.width = bar.dataset.progress + "%";
  var people = document.getElementById("people");
  function cell(text, cls) { var td = document.createElement("td"); td.className = cls; td.textContent = text; return td; }
  function render(d) {
    document.getElementById("title").textContent = d.title;
    document.getElementById("state").textContent = (d.closed ? "计票结束" : "计票进行中") + " · 应选 " + d.seats + " 人";
    var rows = document.createDocumentFragment();
    d.candidates.concat(d.write_ins).forEach(function (p, i) {
      var tr = document.createElement("tr");
      if (i >= d.candidates.length) tr.className = "write-in";
      tr.appendChild(cell(p.name, "name"));
      tr.appendChild(cell(p["for"], "n for"));
      tr.appendChild(cell(p.against, "n against"));
      tr.appendChild(cell(p.abstain, "n abstain"));
      rows.appendChild(tr);
    });
    people.replaceChildren(rows);
    Array.prototype.forEach.call(document.querySelectorAll("[data-f]"), function (b) {
      var v = d[b.getAttribute("data-f")];
      b.textContent = v === null ? "—" : v;
    });
    document.getElementById("bar").style.width = d.progress + "%";
    document.getElementById("waiting").textContent = d.conflicts ? "有 " + d.conflicts + " 张选票待监票人裁定。" : "";
  }
  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) { render(d); document.getElementById("stale").textContent = ""; })
      .catch(function () { document.getElementById("stale").textContent = "（连接中断，正在重试）"; })
      .then(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 2000);
})();
