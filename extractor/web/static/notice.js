// Optional: hovering a task in the list lights its place in the text, and the other way round.
// The pages work without it (plain #task-… / #span-… anchors).
document.addEventListener("DOMContentLoaded", () => {
  const light = (id, on) => {
    document.querySelectorAll(`[data-task="${CSS.escape(id)}"]`).forEach((el) => el.classList.toggle("hover", on));
  };
  document.querySelectorAll("[data-task]").forEach((el) => {
    el.addEventListener("mouseenter", () => light(el.dataset.task, true));
    el.addEventListener("mouseleave", () => light(el.dataset.task, false));
  });
});
