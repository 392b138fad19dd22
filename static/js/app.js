// Small progressive enhancements; every page works without them.
document.querySelectorAll("form.js-autosubmit select").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// Search as you type: resubmit the search form a moment after the last key.
document.querySelectorAll("form.js-search-as-you-type input[type=search]").forEach(function (input) {
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { input.form.submit(); }, 500);
  });
  if (input.value) {
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }
});
