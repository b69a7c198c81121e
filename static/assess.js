// Progressive enhancement for the assessment forms: a running count of the
// questions answered so far. The form says how many questions there are and
// numbers them without this file.
(function () {
  "use strict";
  var form = document.querySelector("form.assessment");
  if (!form) return;
  var out = form.querySelector("[data-progress]");
  var questions = form.querySelectorAll("fieldset.question");
  if (!out || !questions.length) return;
  function update() {
    var answered = 0;
    questions.forEach(function (q) {
      if (q.querySelector("input:checked")) answered++;
    });
    out.textContent = answered + " of " + questions.length + " answered";
  }
  out.hidden = false;
  form.addEventListener("change", update);
  update();
})();
