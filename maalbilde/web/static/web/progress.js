// Shows how far an import or a report file has come, asking the server every moment; when
// the work has ended, the page is loaded again and leads to the result.
(function () {
  const stage = document.getElementById("progress-stage");
  if (!stage) return;
  async function ask() {
    try {
      const response = await fetch(stage.dataset.poll, { headers: { Accept: "application/json" } });
      const state = await response.json();
      if (state.state !== "running") {
        window.location.reload();
        return;
      }
      if (state.stage && state.stage !== stage.textContent) stage.textContent = state.stage;
    } catch (error) {
      // A lost answer is asked for again below.
    }
    window.setTimeout(ask, 700);
  }
  window.setTimeout(ask, 700);
})();
