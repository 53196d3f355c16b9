// studydeck viewer: steps through every click state of the deck; the page itself is the data
// (one <section> per slide, one .state per click), so it works from file:// and any static host.
// With data-events on <body> (studydeck preview) it follows the server's rebuilds live.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const shown = $("shown"), shownText = $("shown-text"), notes = $("notes");
  let slides = [];
  let at = { slide: 0, state: 0 };

  function readSlides() {
    slides = Array.from(document.querySelectorAll("#slides > section")).map((section) => ({
      number: Number(section.dataset.number),
      title: section.querySelector("h2").textContent,
      chapter: section.dataset.chapter,
      clock: section.dataset.clock,
      states: Array.from(section.querySelectorAll(".state")).map((state) => ({
        image: state.dataset.image,
        text: Array.from(state.querySelectorAll("p")).map((p) => p.textContent),
      })),
      notes: section.querySelector(".notes").innerHTML,
    }));
  }

  function show() {
    if (!slides.length) return;
    const slide = slides[at.slide], state = slide.states[at.state];
    shown.src = state.image;
    shown.alt = slide.title;
    shownText.textContent = [slide.title, ...state.text].join("\n");
    notes.innerHTML = slide.notes;
    $("chapter").textContent = slide.chapter;
    $("clock").textContent = slide.clock;
    $("position").textContent = `${slide.number} / ${slides.length}` +
      (slide.states.length > 1 ? ` · click ${at.state}/${slide.states.length - 1}` : "");
    document.title = `${slide.number}. ${slide.title}`;
    document.querySelectorAll("#thumbs a").forEach((link, index) => {
      link.setAttribute("aria-current", index === at.slide ? "true" : "false");
      if (index === at.slide) link.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
    const hash = at.state ? `#${slide.number}.${at.state}` : `#${slide.number}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  function go(slide, state) {
    if (!slides.length) return;
    slide = Math.max(0, Math.min(slides.length - 1, slide));
    const last = slides[slide].states.length - 1;
    at = { slide, state: state === "last" ? last : Math.max(0, Math.min(last, state)) };
    show();
  }

  function step(by) {
    const states = slides[at.slide].states.length;
    if (by > 0 && at.state + 1 < states) go(at.slide, at.state + 1);
    else if (by > 0) go(at.slide + 1, 0);
    else if (at.state > 0) go(at.slide, at.state - 1);
    else if (at.slide > 0) go(at.slide - 1, "last");
  }

  function fromHash() {
    const found = /^#(\d+)(?:\.(\d+))?$/.exec(location.hash);
    if (!found) return false;
    const index = slides.findIndex((slide) => slide.number === Number(found[1]));
    if (index < 0) return false;
    go(index, Number(found[2] || 0));
    return true;
  }

  function toggleNotes(open) {
    const visible = open === undefined ? notes.hidden : open;
    notes.hidden = !visible;
    $("notes-toggle").setAttribute("aria-pressed", String(visible));
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof HTMLElement && event.target.closest("input, textarea")) return;
    const keys = {
      ArrowRight: () => step(1), ArrowDown: () => step(1), PageDown: () => step(1),
      " ": () => step(1), Enter: () => step(1),
      ArrowLeft: () => step(-1), ArrowUp: () => step(-1), PageUp: () => step(-1),
      Backspace: () => step(-1),
      Home: () => go(0, 0), End: () => go(slides.length - 1, "last"),
      n: () => toggleNotes(), t: () => timer.toggle(),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  $("notes-toggle").addEventListener("click", () => toggleNotes());
  shown.addEventListener("click", () => step(1));
  window.addEventListener("hashchange", fromHash);

  // A presenter's timer: time spoken so far, started and paused with "t" or its button.
  const timer = {
    button: $("timer"), started: 0, spent: 0, tick: 0,
    toggle() {
      if (!this.button) return;
      if (this.tick) {
        this.spent += Date.now() - this.started;
        clearInterval(this.tick);
        this.tick = 0;
      } else {
        this.started = Date.now();
        this.tick = setInterval(() => this.paint(), 500);
      }
      this.button.classList.toggle("running", Boolean(this.tick));
      this.paint();
    },
    reset() {
      this.spent = 0;
      this.started = Date.now();
      this.paint();
    },
    paint() {
      const ms = this.spent + (this.tick ? Date.now() - this.started : 0);
      const seconds = Math.floor(ms / 1000);
      const pad = (n) => String(n).padStart(2, "0");
      this.button.textContent = `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
    },
  };
  if (timer.button) {
    timer.button.addEventListener("click", () => timer.toggle());
    timer.button.addEventListener("dblclick", () => timer.reset());
  }

  // Live preview: the server says when a rebuild is ready (and which slide changed) or failed.
  async function reloadDeck(slideNumber) {
    const response = await fetch(location.pathname, { cache: "no-store" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ["slides", "thumbs", "deck-title"]) patch($(id), fresh.getElementById(id));
    const keep = slides[at.slide] ? slides[at.slide].number : 1;
    readSlides();
    const wanted = slides.findIndex((slide) => slide.number === (slideNumber || keep));
    const index = wanted >= 0 ? wanted : Math.min(at.slide, slides.length - 1);
    go(index, slideNumber ? "last" : at.state);
  }

  // Replace only the children that changed: the others (and their loaded pictures) stay.
  function patch(shown, fresh) {
    const current = Array.from(shown.childNodes);
    Array.from(fresh.childNodes).forEach((node, index) => {
      const old = current[index];
      if (!old) shown.appendChild(document.importNode(node, true));
      else if (!old.isEqualNode(node)) old.replaceWith(document.importNode(node, true));
    });
    current.slice(fresh.childNodes.length).forEach((node) => node.remove());
  }

  function showProblems(lines) {
    const box = $("problems");
    box.textContent = lines.join("\n");
    box.hidden = lines.length === 0;
  }

  function follow(url) {
    const events = new EventSource(url);
    events.addEventListener("deck", (event) => {
      const data = JSON.parse(event.data);
      showProblems([]);
      reloadDeck(data.slide).catch((error) => showProblems([String(error)]));
    });
    events.addEventListener("problems", (event) => showProblems(JSON.parse(event.data).problems));
    events.addEventListener("status", (event) => {
      $("position").dataset.status = JSON.parse(event.data).status;
    });
  }

  readSlides();
  if (!fromHash()) go(0, 0);
  if (document.body.dataset.events) {
    toggleNotes(true);
    follow(document.body.dataset.events);
  }
})();
