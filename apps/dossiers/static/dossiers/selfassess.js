/* Part III of Mẫu 02: each choice is saved as it is made and the engine's result shown. */
(function () {
  "use strict";
  var box = document.getElementById("score");
  var form = document.getElementById("criteria-form");
  if (!box || !form) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var q = function (id) { return box.querySelector("[data-testid=" + id + "]"); };

  function show(result) {
    q("score-total").textContent = result.total;
    q("score-star").textContent = result.star ? result.star + "★" : "—";
    q("score-missing").textContent = q("score-missing").textContent.replace(/^\d+/, String(result.missing.length));
    q("score-unmet").textContent = result.unmet_minimums.map(function (u) {
      return u.criterion + " (" + u.star + "★)";
    }).join(", ");
    q("score-error").textContent = "";
    box.dataset.saved = String(Date.now());
  }

  // Saved as chosen (core/autosave.js): one save in flight, later choices merged into the next,
  // so a quick second change of the same criterion can never be overtaken by the first.
  var autosave = window.OcopAutosave(box, function (changes) { return save(changes.choices); });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || input.name.indexOf("c:") !== 0) { return; }
    var choices = {};
    choices[input.name.slice(2)] = parseInt(input.value, 10);
    autosave.enqueue({ choices: choices });
  });

  function save(choices) {
    return fetch(box.dataset.api, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ choices: choices })
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) { show(res.body); } else { q("score-error").textContent = res.body.message || "Error"; }
      })
      .catch(function () { q("score-error").textContent = box.dataset.offline || "Không lưu được."; });
  }
})();
