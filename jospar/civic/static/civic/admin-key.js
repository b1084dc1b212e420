/* The new Open311 key is selected on a click, ready to be copied. */
(function () {
  "use strict";
  var input = document.getElementById("open311-key");
  if (input) { input.addEventListener("click", function () { input.select(); }); }
})();
