// publish serve's live preview: reload when a build touched this page, keeping the scroll and the
// player's position; show the guides' problems over the page while they do not check.
(() => {
  const script = document.currentScript;
  let epoch = Number(script.dataset.epoch || 0);
  const remembered = "publish-preview:" + location.pathname;
  const player = () => document.getElementById("player");

  function restore() {
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(remembered) || "null"); } catch (error) { saved = null; }
    sessionStorage.removeItem(remembered);
    if (!saved) return;
    window.scrollTo(0, saved.y);
    const audio = player();
    if (!audio || !saved.time) return;
    const seek = () => {
      audio.currentTime = saved.time;
      if (saved.playing) audio.play().catch(() => {});
    };
    if (audio.readyState >= 1) seek(); else audio.addEventListener("loadedmetadata", seek, { once: true });
  }

  function remember() {
    const audio = player();
    sessionStorage.setItem(remembered, JSON.stringify({
      y: window.scrollY, time: audio ? audio.currentTime : 0, playing: audio ? !audio.paused : false,
    }));
  }

  function showProblems(problems) {
    let panel = document.getElementById("publish-problems");
    if (!problems.length) {
      if (panel) panel.remove();
      return;
    }
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "publish-problems";
      panel.setAttribute("role", "alert");
      panel.setAttribute("aria-labelledby", "publish-problems-heading");
      panel.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#fff8e1;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem 1.25rem;" +
        "font:15px/1.45 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
      document.body.append(panel);
    }
    const heading = document.createElement("h2");
    heading.id = "publish-problems-heading";
    heading.style.cssText = "margin:0 0 .5rem;font-size:1.1rem";
    heading.textContent = problems.length === 1 ? "1 problem: the last good build is shown" :
      `${problems.length} problems: the last good build is shown`;
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.25rem;font-family:ui-monospace,monospace;white-space:pre-wrap";
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      list.append(item);
    }
    panel.replaceChildren(heading, list);
  }

  async function follow() {
    let wait = "0";
    for (;;) {
      try {
        const query = `epoch=${epoch}&wait=${wait}&page=${encodeURIComponent(location.pathname)}`;
        const answer = await (await fetch(`/__publish__/poll?${query}`, { cache: "no-store" })).json();
        if (answer.reload) {
          remember();
          location.reload();
          return;
        }
        showProblems(answer.problems);
        epoch = answer.epoch;
        wait = "1";
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 1000));  // the server restarts or is gone
      }
    }
  }

  if (document.readyState === "complete") restore(); else window.addEventListener("load", restore, { once: true });
  follow();
})();
