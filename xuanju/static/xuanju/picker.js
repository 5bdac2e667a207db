// A search field above every <select data-search> (people pickers): typing narrows the options to
// those whose text contains what was typed (name or organization); the chosen option always stays.
// Static file because the Content-Security-Policy allows no inline script.
(function () {
  function attach(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-search";
    input.placeholder = "输入姓名查找";
    // A label of its own that does not repeat the select's, so "the field labelled X" stays the select.
    input.setAttribute("aria-label", "按姓名筛选下面的名单");
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var text = input.value.replace(/\s+/g, "");
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !text || option.value === "" || option.selected || option.text.replace(/\s+/g, "").indexOf(text) !== -1;
        option.hidden = !match;
        if (match && option.value !== "") shown += 1;
      });
      input.setCustomValidity("");
      input.title = text ? "找到 " + shown + " 人" : "";
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-search]"), attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
