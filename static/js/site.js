// Progressive enhancement only: everything works without this file.
// A select marked data-autosubmit submits its form when changed (the button stays for
// keyboard users who prefer it).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});

// Exact counts of a large set arrive later: an element marked data-counts-from="URL" holds
// a link to the page of the exact counts (which works without this file). Each such page
// is fetched once, and the element with the same id on it takes the marked one's place.
function fillInCounts() {
  const waiting = new Map();
  for (const element of document.querySelectorAll("[data-counts-from]")) {
    const url = element.dataset.countsFrom;
    if (!waiting.has(url)) {
      waiting.set(url, []);
    }
    waiting.get(url).push(element);
  }
  for (const [url, elements] of waiting) {
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const counted = new DOMParser().parseFromString(html, "text/html");
        for (const element of elements) {
          const exact = counted.getElementById(element.id);
          if (exact) {
            element.replaceWith(document.importNode(exact, true));
          }
        }
      })
      .catch(() => {
        // The links stay: the reader can still open the page of the exact counts.
        for (const element of elements) {
          element.removeAttribute("aria-busy");
        }
      });
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", fillInCounts);
} else {
  fillInCounts();
}
