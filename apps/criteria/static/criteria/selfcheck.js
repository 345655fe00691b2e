/* Self-assessment on a criteria sheet. Scores nothing itself: every choice is sent to the
 * evaluate endpoint (the server's ranking engine) and its answer is displayed as is.
 * The only rule applied here is display: a criterion that "applies only when" another one
 * reaches an option is disabled while the chosen option of that other one is lower. */
(function () {
  "use strict";

  const form = document.getElementById("selfcheck");
  if (!form || form.dataset.disabled) {
    return;
  }
  const result = document.querySelector("[data-testid=result]");
  const i18n = JSON.parse(document.getElementById("selfcheck-i18n").textContent);
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let sequence = 0;

  function field(name) {
    return result.querySelector("[data-testid=" + name + "]");
  }

  function criterionBox(code) {
    return form.querySelector('fieldset[data-code="' + CSS.escape(code) + '"]');
  }

  function updateApplicability() {
    form.querySelectorAll("fieldset[data-depends-on]").forEach(function (box) {
      const dependency = criterionBox(box.dataset.dependsOn);
      const chosen = dependency && dependency.querySelector("input[type=radio]:checked");
      const applies = !chosen || Number(chosen.value) >= Number(box.dataset.minOption);
      box.classList.toggle("not-applicable", !applies);
      box.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.disabled = !applies;
        if (!applies) {
          radio.checked = false;
        }
      });
    });
  }

  function payload() {
    const choices = {};
    form.querySelectorAll("input[type=radio]:checked:not(:disabled)").forEach(function (radio) {
      choices[radio.closest("fieldset").dataset.code] = Number(radio.value);
    });
    const knockouts = Array.from(form.querySelectorAll("input[name=knockout]:checked")).map(
      function (box) { return box.value; }
    );
    return { choices: choices, knockouts: knockouts };
  }

  function render(body) {
    field("total").textContent = body.total;
    ["A", "B", "C"].forEach(function (part) {
      field("part-" + part).textContent = body.parts[part];
    });
    field("band-star").textContent = body.band_star + "★";
    field("star").textContent = body.star === null ? i18n.notRanked : body.star + "★";
    field("missing-count").textContent = String(body.missing.length);
    field("rejected").hidden = !body.rejected;
    const list = field("unmet");
    list.replaceChildren();
    form.querySelectorAll("fieldset.unmet").forEach(function (box) {
      box.classList.remove("unmet");
    });
    body.unmet_minimums.forEach(function (item) {
      const li = document.createElement("li");
      li.dataset.criterion = item.criterion;
      li.dataset.star = String(item.star);
      li.textContent = i18n.unmet.replace("{code}", item.criterion).replace("{star}", item.star);
      list.appendChild(li);
      const box = criterionBox(item.criterion);
      if (box) {
        box.classList.add("unmet");
      }
    });
    field("error").hidden = true;
  }

  function showError(message) {
    const box = field("error");
    box.textContent = message;
    box.hidden = false;
  }

  async function evaluate() {
    const mine = ++sequence;
    result.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Accept": "application/json",
          "Content-Type": "application/json",
          "X-CSRFToken": csrfToken,
        },
        body: JSON.stringify(payload()),
      });
      const body = await response.json();
      if (mine !== sequence) {
        return; // a later choice already asked again
      }
      if (response.ok) {
        render(body);
      } else {
        showError(body.message || i18n.failed);
      }
    } catch (error) {
      if (mine === sequence) {
        showError(i18n.failed);
      }
    } finally {
      if (mine === sequence) {
        result.removeAttribute("aria-busy");
        result.dataset.version = String(mine);
      }
    }
  }

  form.addEventListener("change", function () {
    updateApplicability();
    evaluate();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  updateApplicability();
})();
