// The define/edit form: show only the chosen kind of result's fields, at once. Without this
// script the server does the same when the staff member presses "show the fields".
(function () {
  "use strict";
  var form = document.getElementById("definition-form");
  if (!form) { return; }
  var button = document.getElementById("show-scale");
  var groups = form.querySelectorAll(".scale-fields");
  function show() {
    var chosen = form.querySelector("input[name=result_kind]:checked");
    var kind = chosen ? chosen.value : "grade";
    groups.forEach(function (group) { group.hidden = group.dataset.scale !== kind; });
    var names = document.getElementById("f-result_kind").dataset;
    var name = document.getElementById("f-result_name");
    if (name && [names.nameGrade, names.namePassfail, ""].indexOf(name.value.trim()) >= 0) {
      name.value = kind === "passfail" ? names.namePassfail : names.nameGrade;  // the default name follows the kind
    }
  }
  if (button) { button.hidden = true; }  // the fields switch at once: no need to ask the server
  var help = document.getElementById("scale-help");
  if (help) { help.hidden = true; }
  form.querySelectorAll("input[name=result_kind]").forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  form.dataset.enhanced = "true";
}());
