// Progress of uploaded scan batches (counting/scan.html): while any batch is queued or being read,
// poll the JSON of scan_progress every two seconds and update the bars; when the last batch is
// done (or a new one appears), reload the page once so the list of pages read is complete.
(function () {
  var box = document.getElementById("scan-progress");
  if (!box || box.dataset.busy !== "1") return;
  var url = box.dataset.url;
  var stale = document.getElementById("scan-poll");
  function render(d) {
    var missing = false;
    d.batches.forEach(function (b) {
      var li = box.querySelector('[data-batch="' + b.id + '"]');
      if (!li) { missing = true; return; }
      li.querySelectorAll("[data-k]").forEach(function (el) {
        el.textContent = b[el.dataset.k];
      });
      var bar = li.querySelector("progress");
      bar.max = b.pages || 1;
      bar.value = b.read;
      bar.textContent = b.read + "/" + b.pages;
    });
    var t = d.totals;
    document.getElementById("scan-totals").textContent =
      "最近上传的文件读取 " + t.read + " 页：计入 " + t.counted + " 张，待裁定 " + t.review + " 张，重复 " +
      t.duplicate + " 页，无法识别 " + t.rejected + " 页；存疑标记 " + t.doubts + " 个";
    return missing || !d.busy;
  }
  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) {
        if (render(d)) { window.location.reload(); return; }
        if (stale) stale.textContent = "识别在后台进行，本页自动更新；也可以离开本页，稍后再来查看。";
        setTimeout(poll, 2000);
      })
      .catch(function () {
        if (stale) stale.textContent = "（连接中断，正在重试）";
        setTimeout(poll, 4000);
      });
  }
  setTimeout(poll, 2000);
})();
