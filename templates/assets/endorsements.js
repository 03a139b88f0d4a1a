// The endorsement forms without inline script (the Content-Security-Policy allows only
// same-origin files): a live count under the statement, and skill suggestions that also
// work after a comma. Without JavaScript the forms work the same, minus these aids.
(function () {
  "use strict";

  var statement = document.getElementById("field-statement");
  if (statement && statement.form && statement.form.classList.contains("endorsement-form")) {
    var max = 2000;
    var out = document.createElement("p");
    out.className = "hint char-count";
    out.id = "field-statement-count";
    out.setAttribute("aria-live", "polite");
    statement.insertAdjacentElement("afterend", out);
    var describedBy = statement.getAttribute("aria-describedby");
    statement.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + out.id);
    // Count as the server does: characters (not UTF-16 units), a line break once, trimmed.
    var count = function () {
      var n = Array.from(statement.value.replace(/\r\n/g, "\n").trim()).length;
      var left = max - n;
      out.textContent = left >= 0 ? n + " of " + max + " characters" : n + " characters: " + (-left) + " over the limit of " + max;
      out.classList.toggle("field-error", left < 0);
    };
    statement.addEventListener("input", count);
    count();
  }

  // A datalist suggests for the whole value; after "Python, " suggest the next skill with
  // what is already typed in front, so choosing one keeps the earlier skills.
  var skills = document.getElementById("field-skills");
  var list = document.getElementById("skill-vocabulary");
  if (skills && list) {
    var words = Array.prototype.map.call(list.options, function (o) { return o.value; });
    var update = function () {
      var at = skills.value.lastIndexOf(",");
      var before = at < 0 ? "" : skills.value.slice(0, at + 1) + " ";
      var typed = before.split(",").map(function (s) { return s.trim().toLowerCase(); });
      list.textContent = "";
      words.forEach(function (w) {
        if (typed.indexOf(w) >= 0) { return; }
        var o = document.createElement("option");
        o.value = before + w;
        list.appendChild(o);
      });
    };
    skills.addEventListener("input", update);
  }
})();
