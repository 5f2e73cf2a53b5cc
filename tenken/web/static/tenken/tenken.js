// Progressive enhancement only (pages work without it): each table in the main content scrolls
// inside its own box, so a wide table never widens a 390 px phone screen. A box that does scroll is
// made a labelled, keyboard-focusable region (it can then be scrolled with the arrow keys).
document.addEventListener("DOMContentLoaded", () => {
  const boxes = [];
  for (const table of document.querySelectorAll("main table:not(.stack)")) {
    if (table.parentElement.classList.contains("table-scroll")) continue;
    const box = document.createElement("div");
    box.className = "table-scroll";
    const caption = table.querySelector("caption");
    let heading = table.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    box.dataset.label = (table.getAttribute("aria-label") || (caption && caption.textContent) || (heading && heading.textContent) || "表").trim();
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    boxes.push(box);
  }
  const mark = () => {
    for (const box of boxes) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.dataset.label + "（横にスクロールできます）");
        box.tabIndex = 0;
      } else {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("tabindex");
      }
    }
  };
  mark();
  window.addEventListener("resize", mark);
});
