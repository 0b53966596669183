/* The search page's filters on a phone, better with JavaScript: "Filters (3)" opens the filter form as a modal
   dialog (focus stays in it, Escape or "Sluiten" closes it and undoes the unapplied choices), and its button says
   how many results the choices give before they are applied. Without this script the form folds open in its
   <details> above the results (catalogue/search.html); on a wide screen it stays in the side column. */
(function () {
  "use strict";
  const panel = document.getElementById("filters-panel");
  if (!panel || typeof HTMLDialogElement !== "function") return;
  const toggle = panel.querySelector("summary");
  const form = panel.querySelector("form");
  const submit = form.querySelector("button[type=submit]");
  const label = submit.textContent;
  const narrow = window.matchMedia("(max-width: 49.99rem)"); // site.css puts the filters beside the results from 50rem
  const texts = panel.dataset;

  const dialog = document.createElement("dialog");
  dialog.className = "filters-dialog";
  dialog.setAttribute("aria-labelledby", "filters-title");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "filters-dialog-close secondary";
  close.textContent = texts.close;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  dialog.append(close, status);
  document.body.append(dialog);

  let counting = null;
  let timer = 0;

  function show(total) {
    const text = total === 1 ? texts.showOne : texts.showMany.replace("{n}", total);
    submit.textContent = text;
    status.textContent = text;
  }

  // The count comes from the search page itself, so every field of the form counts as the server reads it.
  function recount() {
    if (counting) counting.abort();
    counting = new AbortController();
    const url = form.action.split("#")[0] + "?" + new URLSearchParams(new FormData(form));
    fetch(url, { signal: counting.signal, headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const title = new DOMParser().parseFromString(html, "text/html").getElementById("results-title");
        if (title && dialog.open) show(Number(title.dataset.total));
      })
      .catch(() => { submit.textContent = label; });
  }

  toggle.addEventListener("click", (event) => {
    if (!narrow.matches) return;
    event.preventDefault(); // the dialog instead of the folded form
    dialog.append(form);
    dialog.showModal();
    recount();
  });
  for (const type of ["change", "input"]) {
    form.addEventListener(type, () => {
      clearTimeout(timer);
      timer = setTimeout(recount, 250);
    });
  }
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    clearTimeout(timer);
    if (counting) counting.abort();
    form.reset(); // closed without applying: the choices on the page stay as they are
    submit.textContent = label;
    status.textContent = "";
    panel.append(form);
  });
  // A wide screen shows the folded form through CSS (site.css); a browser whose CSS cannot, opens it here.
  const unfolds = CSS.supports("selector(::details-content)");
  function fit() {
    if (!narrow.matches && dialog.open) dialog.close();
    if (!unfolds) panel.open = !narrow.matches;
  }
  narrow.addEventListener("change", fit);
  fit();
})();
