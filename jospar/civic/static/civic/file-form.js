/* The filing form: only the survey of the chosen topic is shown. */
(function () {
  "use strict";
  var topic = document.getElementById("id_topic");
  function show() {
    document.querySelectorAll("fieldset.survey").forEach(function (f) { f.hidden = f.getAttribute("data-topic") !== topic.value; });
  }
  if (topic) { topic.addEventListener("change", show); show(); }
})();
