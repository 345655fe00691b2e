/* The member's scorecard: every choice, knock-out and comment is saved as it is made through the
   API (core/autosave.js: one save in flight, later changes merged into the next) and the engine's
   result shown in the sticky box. Without the API (or without JavaScript) the form posts as
   usual. */
(function () {
  "use strict";
  var box = document.getElementById("score");
  var form = document.getElementById("scoring-form");
  if (!box || !form || !box.dataset.api || box.dataset.locked === "1") { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var q = function (id) { return box.querySelector("[data-testid=" + id + "]"); };

  function show(result) {
    q("score-total").textContent = result.total;
    q("score-star").textContent = result.star ? result.star + "★" : "—";
    q("score-band").textContent = result.band_star + "★";
    var missing = q("score-missing");
    missing.dataset.count = String(result.missing.length);
    missing.textContent = missing.textContent.replace(/\d+/, String(result.missing.length));
    q("score-unmet").textContent = result.unmet_minimums.map(function (u) {
      return u.criterion + " (" + u.star + "★)";
    }).join(", ");
    q("score-rejected").textContent = result.rejected
      ? box.dataset.msgRejected + ": " + result.rejected_by.join(", ") : "";
  }

  var autosave = window.OcopAutosave(box, save, function (n) {
    q("save-state").textContent = n > 0 ? box.dataset.msgSaving : (box.dataset.saved ? box.dataset.msgSaved : "");
  });
  var enqueue = autosave.enqueue;

  function save(body) {
    return fetch(box.dataset.api, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body)
    })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        if (res.ok) {
          box.dataset.saved = String(Date.now());
          q("score-error").textContent = "";
          show(res.data.result);
        } else {
          q("score-error").textContent = res.data.message || box.dataset.msgOffline;
        }
      })
      .catch(function () { q("score-error").textContent = box.dataset.msgOffline; });
  }

  function knockouts() {
    return Array.prototype.map.call(form.querySelectorAll("input[name=knockout]:checked"), function (i) {
      return i.value;
    });
  }

  // A criterion that applies only after another ("5.2 only when there is a story") is greyed
  // out while the other's choice does not open it; the server decides in the end.
  function refreshApplicability() {
    form.querySelectorAll("fieldset[data-depends]").forEach(function (fs) {
      var dep = form.querySelector("input[name='c:" + fs.dataset.depends + "']:checked");
      var open = dep && parseInt(dep.value, 10) >= parseInt(fs.dataset.minOption, 10);
      fs.classList.toggle("not-applicable", !open);
    });
  }
  refreshApplicability();

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name) { return; }
    if (input.name.indexOf("c:") === 0) {
      var choices = {};
      choices[input.name.slice(2)] = parseInt(input.value, 10);
      refreshApplicability();
      enqueue({ choices: choices });
    } else if (input.name === "knockout") {
      enqueue({ knockouts: knockouts() });
    } else if (input.name.indexOf("comment:") === 0) {
      var comments = {};
      comments[input.name.slice(8)] = input.value;
      enqueue({ comments: comments });
    }
  });

  // Submitting waits for the pending saves, then posts the form (which saves and submits).
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (autosave.pending() === 0 || form.dataset.flushing === "1") { return; }
    event.preventDefault();
    form.dataset.flushing = "1";
    autosave.whenSaved(function () {
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.submit();
    });
  });
})();
