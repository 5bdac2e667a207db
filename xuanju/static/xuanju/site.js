// Behaviours shared by every page, bound here because the Content-Security-Policy allows no inline
// event handlers: [data-print] prints the page, [data-autosubmit] submits its form when changed.
(function () {
  document.addEventListener("click", function (e) {
    var target = e.target.closest("[data-print]");
    if (target) { e.preventDefault(); window.print(); }
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]") && e.target.form) e.target.form.submit();
  });
})();
