// Small progressive enhancements; every page works without them.
// The browser's own "Please fill out this field" bubbles speak the browser's
// language (often English on a centre's computer): forms are checked by the
// server instead, which answers in Vietnamese beside the field.
document.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
document.querySelectorAll("form.js-autosubmit select").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// Search as you type: resubmit the search form a moment after the last key.
// People already ticked on the page travel with the search, so they stay ticked.
function searchKeepingTicks(form) {
  form.querySelectorAll("input.js-kept").forEach(function (old) { old.remove(); });
  document.querySelectorAll("input[name=trainee]:checked").forEach(function (box) {
    var kept = document.createElement("input");
    kept.type = "hidden"; kept.name = "trainee"; kept.value = box.value; kept.className = "js-kept";
    form.appendChild(kept);
  });
  form.submit();
}
document.querySelectorAll("form.js-search-as-you-type").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    searchKeepingTicks(form);
  });
});
document.querySelectorAll("form.js-search-as-you-type input[type=search]").forEach(function (input) {
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { searchKeepingTicks(input.form); }, 500);
  });
  if (input.value) {
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }
});
// A page that follows a background job reloads itself until the job is done.
document.querySelectorAll("[data-reload-after]").forEach(function (element) {
  var seconds = parseFloat(element.getAttribute("data-reload-after")) || 2;
  setTimeout(function () { window.location.reload(); }, seconds * 1000);
});
// The report's period form: show only the fields of the chosen kind of period
// (without JavaScript every field stays visible and the server ignores the rest).
document.querySelectorAll("form.report-period").forEach(function (form) {
  var kind = form.querySelector("select[name=kind]");
  var fields = { year: ["year"], term: ["from_year", "to_year"], dates: ["start", "end"] };
  function show() {
    Object.keys(fields).forEach(function (key) {
      fields[key].forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        var wrapper = input && input.closest(".col-auto");
        if (wrapper) { wrapper.hidden = key !== kind.value; }
      });
    });
  }
  if (kind) { kind.addEventListener("change", show); show(); }
});
// Entry grids (results, attendance, paper feedback): static/js/grid.js.
// Dates are typed dd/mm/yyyy: the slashes come by themselves after the day and
// the month ("03122026" becomes "03/12/2026"); anything else typed is left
// alone for the server to check.
document.querySelectorAll("input.js-date").forEach(function (input) {
  input.addEventListener("input", function (event) {
    if (event.inputType && event.inputType.indexOf("delete") === 0) { return; }
    var value = input.value;
    if (/^\d{8}$/.test(value)) {
      value = value.slice(0, 2) + "/" + value.slice(2, 4) + "/" + value.slice(4);
    } else if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) {
      value += "/";
    }
    if (value !== input.value) { input.value = value; }
  });
});
// File inputs: the chosen file's name beside the Vietnamese button.
document.querySelectorAll("input.js-file").forEach(function (input) {
  var shown = input.parentNode.querySelector(".js-file-name");
  input.addEventListener("change", function () {
    shown.textContent = input.files.length ? input.files[0].name : shown.getAttribute("data-none");
    shown.classList.toggle("text-muted", !input.files.length);
  });
});
