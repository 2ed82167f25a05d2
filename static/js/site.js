// Progressive enhancement only: everything works without this file.
// A select marked data-autosubmit submits its form when changed (the button stays for
// keyboard users who prefer it).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});
