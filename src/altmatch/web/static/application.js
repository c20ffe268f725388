// The online application form: eligibility and the statement's length as the applicant types.
// Progressive enhancement only: without script the page checks on save and on submit.
(() => {
  const form = document.getElementById("application-form");
  const box = document.getElementById("eligibility");
  if (!form || !box || !window.fetch) return;
  const statement = document.getElementById("f-statement");
  const counter = document.getElementById("statement-count");
  const intFields = ["teaching_years", "prior_jet_years", "years_in_japan_recent"];
  let timer = null;

  function answers() {
    const data = new FormData(form);
    const body = {};
    for (const name of ["name", "citizenship", "degree", "english", "jlpt", "statement", "time_zone"]) {
      body[name] = String(data.get(name) || "");
    }
    body.citizenship = body.citizenship.trim().toUpperCase();
    for (const name of intFields) body[name] = parseInt(String(data.get(name) || "0"), 10) || 0;
    body.driving_licence = data.get("driving_licence") === "on";
    body.preferred_prefectures = String(data.get("preferred_prefectures") || "")
      .split("\n").map((p) => p.trim()).filter(Boolean);
    return body;
  }

  function show(result) {
    const lang = document.documentElement.lang === "ja" ? "ja" : "en";
    box.dataset.eligible = result.eligible ? "yes" : "no";
    const summary = box.querySelector("#eligibility-summary");
    const list = document.createElement("ul");
    list.id = "eligibility-failed";
    for (const rule of result.failed) {
      const item = document.createElement("li");
      item.dataset.rule = rule.rule;
      item.textContent = `${rule.description[lang]} ${rule.fix[lang]}`;
      list.appendChild(item);
    }
    const old = box.querySelector("#eligibility-failed");
    if (old) old.remove();
    if (summary) {
      summary.textContent = result.eligible ? box.dataset.yes : box.dataset.no;
      if (result.failed.length) summary.after(list);
    }
    if (counter) {
      counter.textContent = counter.dataset.template
        .replace("{n}", result.statement_length.toLocaleString())
        .replace("{max}", result.statement_max.toLocaleString());
    }
  }

  function check() {
    fetch(form.dataset.check, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(answers()),
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((result) => { if (result) show(result); })
      .catch(() => {});
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  if (statement && counter) statement.addEventListener("input", () => {
    counter.classList.toggle("error", statement.value.trim().length > Number(counter.dataset.max));
  });
})();
