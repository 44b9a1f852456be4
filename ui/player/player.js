// The Descent Lab player: the map, every run's path, the step curves with a cursor, a readout
// of the current step and a slider per run, all drawn in the browser from typed arrays.
//
// Plotly draws what never moves (the surface picture, the axes, the colour bar, the known
// points, the curves' axes); two canvases laid over its plots draw what moves (paths, heads,
// curves, the cursor), so a slider or a step redraws in a millisecond or two, never a figure.
//
// Data: a manifest (JSON, see figures/player.py) and one binary blob of arrays it refers to
// by {offset, dtype, shape}. A run shows its committed path (every step) or, while its slider
// is away from the committed value, that value's path from its neighbourhood (kept steps).
//
// For tests and the benchmark: window.descentLabStats.slider holds the milliseconds from each
// slider input event (performance.now() at the handler's entry) to the end of the redraw;
// #plot.dataset.ready is the id of the data shown (drawn by Plotly; #plot.dataset.preview
// while it is drawn without plotly.js, before that has run) and #plot.dataset.step the step shown;
// window.descentLab.state() describes what is drawn.
//
// Following the page's step (Explore's step by step): with reportSteps set, the step the
// visitor leaves the player at (paused, stepped, scrubbed, typed: never while it plays) goes
// back as {kind: "step", step, end, moves, seq}, ``moves`` counting the visitor's moves of the
// player; follow({step, moves, seq}) goes to a step the page asks for (a new seq), without
// reporting it back, unless the visitor moved the player since the page last heard of it.
"use strict";

(function () {
  const DTYPES = { f4: Float32Array, f8: Float64Array, i4: Int32Array };
  const FONT = "Source Sans Pro, Helvetica, Arial, sans-serif";
  const SPEEDS = [["½×", 0.5], ["1×", 1], ["2×", 2], ["4×", 4]];
  const HALO = "rgba(255, 255, 255, 0.95)";
  const SYMBOL_SIZE = 14;
  // How things are drawn: on a page, and in presentation mode (read from the back row of a
  // room: larger type, thicker lines and heads, black on white, a white casing under each
  // path so it stands out on the darker and the lighter parts of the map alike).
  const LOOKS = {
    page: { font: 14, curveFont: 13, title: 13, label: 15, path: 3, dot: 3, head: SYMBOL_SIZE, bar: 14,
      casing: 0, curve: 2.5, cursor: "rgba(38, 39, 48, 0.55)", cursorWidth: 1.5, marker: 4.5,
      grid: "#eeeeee", ink: "#262730", margin: { l: 55, r: 90, t: 12, b: 45 },
      curveMargin: { l: 62, r: 12, t: 26, b: 44 } },
    present: { font: 20, curveFont: 17, title: 19, label: 21, path: 5, dot: 4, head: 24, bar: 20,
      casing: 4, curve: 4, cursor: "#000000", cursorWidth: 2.5, marker: 7,
      grid: "#c8c8c8", ink: "#000000", margin: { l: 70, r: 110, t: 14, b: 62 },
      curveMargin: { l: 78, r: 14, t: 30, b: 56 } },
  };
  // The height presentation mode fills at 1280 x 720 (ui/presentation.py: the viewport under
  // the leave button's row), where its look is as written above; on a taller screen (4K) every
  // size of it grows with the height (presentScale), so type and lines keep their share of the
  // screen, read from the back row as on a projector.
  const PRESENT_HEIGHT = 664;

  function scaled(look, k) {
    const out = {};
    for (const [key, value] of Object.entries(look)) {
      if (typeof value === "number") out[key] = Math.round(10 * k * value) / 10;
      else if (value && typeof value === "object") out[key] = scaled(value, k);
      else out[key] = value;
    }
    return out;
  }

  // A y axis labels ticks at least TICK_SPACING font sizes apart ("10⁻²" with its raised
  // exponent is about 1.3 tall), and in presentation mode a curve beside the map is drawn only
  // where its plot has room for CURVE_TICKS of them.
  const TICK_SPACING = 1.5;
  const CURVE_TICKS = 3;
  // Presentation mode's compact readout: its type at most READOUT_FONT px, at least
  // READOUT_WITH_CURVE px beside a curve, never below READOUT_LEAST px
  const READOUT_FONT = 19;
  const READOUT_WITH_CURVE = 15;
  const READOUT_LEAST = 9;
  const READOUT_UNDER = 17;  // ... and at least this in a row under a wide map (underSizes)
  const CORNER_BESIDE = 12;  // ems of a caption's line beside the leave button, at least (clearCorner)
  const MAX_DOTS = 400;  // dots along a path on the map (strided beyond)
  const REPORT_DELAY_MS = 150;  // a held key or a dragged scrubber reports where it stops
  const COLORBAR_TICKS = 6;  // about this many ticks on the map's colour bar
  const COLORBAR_PAD = 10;  // px between the plot and its colour bar, and after the bar's title
  // A map beside a chart of its data (a data surface): the map's plot at most DATA_SHARE of
  // the width, the data chart's at least DATA_LEAST; between them the colour bar (DATA_BAR px
  // thick) and the data chart's y axis, placed in pixels (dataViewLayout)
  const DATA_SHARE = 0.55;
  const DATA_LEAST = 0.25;
  const DATA_BAR = 10;
  const ARROW_MIN_PX = 40;  // the longest arrow at the current point is at least this long

  window.descentLabStats = window.descentLabStats || { slider: [] };

  // The blob as it travels (figures/player.py: encode): deflated, its bytes grouped by
  // position in each 4-byte word. Inflated here, and regrouped into a fresh buffer (typed
  // views need their element size's alignment) a whole word at a time: the four bytes of word
  // i put together little-endian, the order the typed arrays that read the blob assume (every
  // browser's). One write per word rather than per byte: Compare 8 x 1000's ~3.4 MB took 55 ms
  // of the frame's thread byte by byte, ~3 ms word by word (Chromium traces, load ~6-7).
  //
  // The bytes are written to the DecompressionStream and its output read back directly: every
  // step is then a microtask, so the whole inflate runs within the task that brought the data.
  // Through a Blob's stream and a Response it took several tasks, each queued behind whatever
  // else the page's one thread had to do (Streamlit's React renders of the rest of the page):
  // a 1.3 MB blob under 20 ms competing tasks took ~80 ms that way, ~15 ms this way.
  function inflate(bytes) {
    const stream = new DecompressionStream("deflate");
    const writer = stream.writable.getWriter();
    writer.write(bytes).catch(() => null);  // a bad blob rejects the reads below too
    writer.close().catch(() => null);
    const chunks = stream.readable.getReader();
    const parts = [];
    let length = 0;
    const next = () => chunks.read().then(({ done, value }) => {
      if (!done) { parts.push(value); length += value.length; return next(); }
      const inflated = new Uint8Array(length);
      let at = 0;
      for (const part of parts) { inflated.set(part, at); at += part.length; }
      const words = length / 4;
      const [b0, b1, b2, b3] = [0, 1, 2, 3].map((b) => inflated.subarray(b * words, (b + 1) * words));
      const out = new Uint32Array(words);
      for (let i = 0; i < words; i++) out[i] = b0[i] | (b1[i] << 8) | (b2[i] << 16) | (b3[i] << 24);
      return out.buffer;
    });
    return next();
  }

  function reader(buffer) {
    return (ref) => {
      if (!ref) return null;
      const n = ref.shape.reduce((a, b) => a * b, 1);
      return new DTYPES[ref.dtype](buffer, ref.offset, n);
    };
  }

  function format(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return "—";
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
    return Number(v.toPrecision(4)).toString();
  }

  // A run's status in words at step t, from its timeline (figures/status.py: timeline): the
  // latest event at or before t, else "running" before its last step, else how it ended.
  function statusAt(line, t) {
    let words = null;
    for (const [at, said] of line.events) if (at <= t) words = said;
    if (words !== null) return words;
    return t < line.last ? "running" : line.end;
  }

  function dashPattern(dash, width) {
    const w = Math.max(width, 3);
    switch (dash) {
      case "solid": case undefined: case null: return [];
      case "dot": return [w, w];
      case "dash": return [3 * w, 3 * w];
      case "longdash": return [5 * w, 5 * w];
      case "dashdot": return [3 * w, w, w, w];
      case "longdashdot": return [5 * w, 2 * w, w, 2 * w];
      default: return String(dash).split(",").map((s) => parseFloat(s)).filter(Number.isFinite);
    }
  }

  function symbolPath(ctx, symbol, x, y, r) {
    ctx.beginPath();
    switch (symbol) {
      case "square": ctx.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r); break;
      case "diamond":
        ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.2, y); ctx.lineTo(x, y + r * 1.2);
        ctx.lineTo(x - r * 1.2, y); ctx.closePath(); break;
      case "triangle-up":
        ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.8);
        ctx.lineTo(x - r * 1.1, y + r * 0.8); ctx.closePath(); break;
      case "triangle-down":
        ctx.moveTo(x, y + r * 1.2); ctx.lineTo(x + r * 1.1, y - r * 0.8);
        ctx.lineTo(x - r * 1.1, y - r * 0.8); ctx.closePath(); break;
      case "cross": {
        const a = r * 0.4, b = r * 1.1;
        ctx.moveTo(x - a, y - b); ctx.lineTo(x + a, y - b); ctx.lineTo(x + a, y - a);
        ctx.lineTo(x + b, y - a); ctx.lineTo(x + b, y + a); ctx.lineTo(x + a, y + a);
        ctx.lineTo(x + a, y + b); ctx.lineTo(x - a, y + b); ctx.lineTo(x - a, y + a);
        ctx.lineTo(x - b, y + a); ctx.lineTo(x - b, y - a); ctx.lineTo(x - a, y - a);
        ctx.closePath(); break;
      }
      case "x": {
        const a = r * 0.35, b = r * 1.05;
        const pts = [[0, -a], [b - a, -b], [b, -b + a], [a, 0], [b, b - a], [b - a, b],
          [0, a], [-b + a, b], [-b, b - a], [-a, 0], [-b, -b + a], [-b + a, -b]];
        pts.forEach(([u, v], i) => (i ? ctx.lineTo(x + u, y + v) : ctx.moveTo(x + u, y + v)));
        ctx.closePath(); break;
      }
      case "star": {
        for (let i = 0; i < 10; i++) {
          const rr = i % 2 ? r * 0.55 : r * 1.25, a = Math.PI / 5 * i - Math.PI / 2;
          const px = x + rr * Math.cos(a), py = y + rr * Math.sin(a);
          i ? ctx.lineTo(px, py) : ctx.moveTo(px, py);
        }
        ctx.closePath(); break;
      }
      default: ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  // An arrow from (x0, y0) to (x1, y1) in pixels, with a white halo under it.
  function arrow(ctx, x0, y0, x1, y1, color) {
    const length = Math.hypot(x1 - x0, y1 - y0);
    if (!(length > 0.5)) return;
    const head = Math.min(10, 0.45 * length), angle = Math.atan2(y1 - y0, x1 - x0);
    const shape = () => {
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1 - 0.6 * head * Math.cos(angle), y1 - 0.6 * head * Math.sin(angle));
    };
    const tip = () => {
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
      ctx.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
      ctx.closePath();
    };
    ctx.lineCap = "round";
    ctx.strokeStyle = HALO; ctx.lineWidth = 5.5; shape(); ctx.stroke();
    tip(); ctx.lineWidth = 3; ctx.stroke();
    ctx.strokeStyle = color; ctx.lineWidth = 2.5; shape(); ctx.stroke();
    ctx.fillStyle = color; tip(); ctx.fill();
  }

  // The colour bar's ticks: about COLORBAR_TICKS of them at 1, 2 or 5 times a power of ten,
  // labelled to the step's decimals (thousands or millions as k or M, a true minus sign).
  // Chosen here rather than by Plotly so that the room the bar takes beside the map is known
  // before Plotly draws it (colorbarRoom): the map drawn before plotly.js has run
  // (layoutPreview) is then where Plotly draws it.
  function colorbarTicks(low, high, count = COLORBAR_TICKS) {
    const span = high - low;
    if (!(span > 0) || !Number.isFinite(span)) return { values: [low], texts: [tickText(low, 1, 1)] };
    const raw = span / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((f) => f * power).find((f) => f >= raw * (1 - 1e-9));
    const values = [];
    for (let k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9 * step; k++) values.push(k * step);
    const most = Math.max(Math.abs(low), Math.abs(high));
    const unit = most >= 1e7 ? 1e6 : most >= 1e4 ? 1e3 : 1;  // one unit for every label
    return { values, texts: values.map((v) => tickText(v, step, unit)) };
  }

  function tickText(value, step, unit) {
    const decimals = Math.max(0, -Math.floor(Math.log10(step / unit) + 1e-9));
    const number = Number(Math.abs(value / unit).toFixed(decimals));  // no trailing zeros
    if (number === 0) return "0";
    return (value < 0 ? "\u2212" : "") + String(number) + ({ 1: "", 1e3: "k", 1e6: "M" })[unit];
  }

  // Resolves once the browser has painted the next frame: work queued after it runs after
  // what is drawn now is on screen.
  function afterPaint() {
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }

  // One run's arrays as drawn: its committed path, or one value of a slider's neighbourhood.
  class Track {
    constructor(steps, xy, loss, gap, lr, grad, ended) {
      this.steps = steps;  // null: one point per step, else the step of each kept point
      this.xy = xy; this.loss = loss; this.gap = gap; this.lr = lr; this.grad = grad;
      this.ended = ended;
      let n = xy.length / 2;
      while (n > 1 && !(Number.isFinite(xy[2 * n - 2]) && Number.isFinite(xy[2 * n - 1]))) n--;
      this.points = n;
    }
    stepOf(i) { return this.steps ? this.steps[i] : i; }
    // the rate at point i as the lr curve draws it: of the step leaving it, and at the last
    // point (which takes no step) of the step that reached it
    rate(i) { return Number.isFinite(this.lr[i]) || i === 0 ? this.lr[i] : this.lr[i - 1]; }
    get last() { return this.stepOf(this.points - 1); }
    // how many points are drawn at step t (those with a step <= t)
    count(t) {
      if (!this.steps) return Math.min(t, this.points - 1) + 1;
      let lo = 0, hi = this.points;  // first index whose step > t
      while (lo < hi) { const mid = (lo + hi) >> 1; if (this.steps[mid] <= t) lo = mid + 1; else hi = mid; }
      return Math.max(lo, 1);
    }
  }

  class Player {
    constructor(root, options) {
      this.root = root;
      this.send = options.send || (() => {});
      this.standalone = Boolean(options.standalone);
      this.onResize = options.onResize || (() => {});
      this.step = 0;
      this.playing = false;
      this.speed = 1;
      this.fading = false;
      this.clicks = 0;
      this.commits = 0;
      this.reportSteps = false;
      this.opensAtStart = false;  // new data opens at step 0, not at the runs' end (a lesson)
      this.showArrows = true;
      this.arrowScale = null;  // the factor the arrows were last drawn at (null: none drawn)
      this.reported = null;  // the step last reported to (or asked for by) the page
      this.moves = 0;  // the visitor's moves of the player (a step, a key, Play …)
      this.reportedMoves = null;
      this.stepReports = 0;
      this.followed = null;  // the seq of the page's last step request
      this.id = null;
      this.clickNote = "";  // what the hover says of a map that takes no click
      this.presenting = false;  // presentation mode (the page says so): LOOKS.present
      this.presentScale = 1;  // presentation mode: its look's sizes times this (PRESENT_HEIGHT)
      this.question = [];  // presentation mode: the caption's paragraphs (a lesson's question)
      this.answer = [];  // ... shown in their place once revealed (showAnswer)
      this.answerShown = false;
      this.keepClear = "";  // the selector of the page's button over the caption's corner
      this.curvesToken = 0;  // the latest layout's: a deferred drawing of the curves' axes checks it
      this.curvesPending = false;  // the curves' axes are to be redrawn for the data shown
      this.build();
    }

    // --- the page --------------------------------------------------------------------------

    build() {
      const root = this.root;
      root.classList.add("dl-player");
      root.innerHTML = `
        <div class="dl-caption"></div>
        <div class="dl-bar" role="toolbar" aria-label="playback">
          <button type="button" class="dl-play" title="Play or pause (space)">▶ Play</button>
          <label><select class="dl-speed" title="Playback speed" aria-label="speed">
            ${SPEEDS.map(([l, v]) => `<option value="${v}"${v === 1 ? " selected" : ""}>${l}</option>`).join("")}
          </select></label>
          <button type="button" class="dl-first" title="First step (Home)" aria-label="first step"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3 2h2v12H3zM14 2v12L6 8z" fill="currentColor"/></svg></button>
          <button type="button" class="dl-back" title="One step back (←)" aria-label="one step back">◀ 1</button>
          <input type="range" class="dl-scrub" min="0" max="0" step="1" value="0" aria-label="step">
          <button type="button" class="dl-forward" title="One step forward (→)" aria-label="one step forward">1 ▶</button>
          <button type="button" class="dl-last" title="Last step (End)" aria-label="last step"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M11 2h2v12h-2zM2 2v12l8-6z" fill="currentColor"/></svg></button>
          <span class="dl-of">step <input type="number" class="dl-step" min="0" step="1" value="0" aria-label="go to step"> / <span class="dl-total">0</span></span>
          <button type="button" class="dl-arrows" title="Show or hide the arrows at the current point" aria-pressed="true" hidden>➚ Arrows</button>
          <button type="button" class="dl-answer" title="Show the answer in place of the choices, or the choices again (the A key; a presenter's clicker: PageDown at the last step)" hidden>Reveal the answer</button>
          <button type="button" class="dl-full" title="Fullscreen" aria-label="fullscreen"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M1 1h5v2H3v3H1zM10 1h5v5h-2V3h-3zM1 10h2v3h3v2H1zM13 10h2v5h-5v-2h3z" fill="currentColor"/></svg></button>
        </div>
        <div class="dl-line" aria-live="off"><span class="dl-line-step"></span><span class="dl-keys">space: play or pause · ← →: a step · PageUp PageDown: a tenth · Esc: leave</span></div>
        <div class="dl-main">
          <div class="dl-layer dl-map"><div id="plot"></div><canvas class="dl-map-canvas"></canvas><div class="dl-hint"></div></div>
          <div class="dl-layer dl-curves"><div id="curves"></div><canvas class="dl-curves-canvas"></canvas></div>
        </div>
        <div class="dl-arrow-key" hidden></div>
        <div class="dl-note"></div>
        <div class="dl-readout"><table class="dl-runs"><thead></thead><tbody></tbody></table></div>`;
      const q = (s) => root.querySelector(s);
      this.el = {
        play: q(".dl-play"), speed: q(".dl-speed"), first: q(".dl-first"), back: q(".dl-back"),
        scrub: q(".dl-scrub"), forward: q(".dl-forward"), last: q(".dl-last"),
        stepInput: q(".dl-step"), total: q(".dl-total"), full: q(".dl-full"), main: q(".dl-main"),
        mapBox: q(".dl-map"), plot: q("#plot"), mapCanvas: q(".dl-map-canvas"), hint: q(".dl-hint"),
        curvesBox: q(".dl-curves"), curves: q("#curves"), curvesCanvas: q(".dl-curves-canvas"),
        arrows: q(".dl-arrows"), arrowKey: q(".dl-arrow-key"),
        note: q(".dl-note"), head: q(".dl-runs thead"), body: q(".dl-runs tbody"),
        line: q(".dl-line"), lineStep: q(".dl-line-step"), readout: q(".dl-readout"),
        caption: q(".dl-caption"), answer: q(".dl-answer"),
      };
      const el = this.el;
      el.play.addEventListener("click", () => this.toggle());
      el.speed.addEventListener("change", () => { this.speed = parseFloat(el.speed.value); });
      el.first.addEventListener("click", () => this.land(0));
      el.last.addEventListener("click", () => this.land(this.steps));
      el.back.addEventListener("click", () => this.land(this.step - 1));
      el.forward.addEventListener("click", () => this.land(this.step + 1));
      el.scrub.addEventListener("input", () => this.land(parseInt(el.scrub.value, 10)));
      el.stepInput.addEventListener("change", () => {
        const t = parseInt(el.stepInput.value, 10);
        this.land(Number.isFinite(t) ? t : this.step);
      });
      el.full.addEventListener("click", () => this.fullscreen());
      el.answer.addEventListener("click", () => this.showAnswer(!this.answerShown));
      el.arrows.addEventListener("click", () => {
        this.showArrows = !this.showArrows;
        el.arrows.setAttribute("aria-pressed", String(this.showArrows));
        this.draw();
      });
      document.addEventListener("fullscreenchange", () => this.resize());
      window.addEventListener("keydown", (event) => this.key(event));
      this.pointer();
      let width = 0;
      new ResizeObserver(() => {
        const w = root.clientWidth;
        if (this.manifest && Math.abs(w - width) > 2) { width = w; clearTimeout(this.resizing); this.resizing = setTimeout(() => this.resize(), 120); }
        width = w;
      }).observe(root);
      // Filling a height: the readout's rows grow when their sliders arrive; fit the map again.
      let readout = 0;
      new ResizeObserver(() => {
        const h = el.body.getBoundingClientRect().height;
        if (this.manifest && (this.fillHeight || document.fullscreenElement) && Math.abs(h - readout) > 2) {
          clearTimeout(this.resizing); this.resizing = setTimeout(() => this.resize(), 120);
        }
        readout = h;
      }).observe(el.body);
    }

    key(event) {
      const target = event.target, tag = target && target.tagName;
      const typing = tag === "INPUT" && target.type === "number";
      const runSlider = tag === "INPUT" && target.type === "range" && target !== this.el.scrub;
      if (typing || runSlider || event.altKey || event.ctrlKey || event.metaKey) return;
      const space = event.key === " " || event.key === "Spacebar";
      if (space && (tag === "BUTTON" || tag === "SELECT")) return;  // the focused control's own space
      if (this.press(event.key)) event.preventDefault();
    }

    // A playback key: space plays or pauses; ← → one step, Home End the ends, PageUp PageDown
    // (a presenter's clicker) a tenth of the run. Where the caption has an answer (a lesson's,
    // presenting), A shows it or the question's choices again, and PageDown at the last step
    // (a clicker's "next" once the run is over) shows it. True if the key was one of them. The
    // page around the frame calls it too (ui/sharing.py), so the keys work without a click first.
    press(key) {
      if (!this.manifest) return false;
      const tenth = Math.max(1, Math.round(this.steps / 10));
      const moves = {
        ArrowLeft: () => this.land(this.step - 1), ArrowRight: () => this.land(this.step + 1),
        Home: () => this.land(0), End: () => this.land(this.steps),
        PageUp: () => this.land(this.step - tenth), PageDown: () => this.land(this.step + tenth),
      };
      if (key === "a" || key === "A") return this.showAnswer(!this.answerShown);
      if (key === "PageDown" && this.step >= this.steps && !this.answerShown && this.showAnswer(true)) return true;
      if (key === " " || key === "Spacebar") {
        this.toggle();
      } else if (moves[key]) {
        moves[key]();  // land(): pauses there, and reports the step
      } else {
        return false;
      }
      return true;
    }

    get look() {
      if (!this.presenting) return LOOKS.page;
      if (!this.presentLook || this.presentLook.k !== this.presentScale) {
        this.presentLook = { ...scaled(LOOKS.present, this.presentScale), k: this.presentScale };
      }
      return this.presentLook;
    }

    // Presentation mode on or off (the page's flag): the look, and the layout that fills the
    // height given with the map beside its curves and readout; the playback bar shows only
    // while the mouse is over the player (the keys drive it: ui/sharing.py).
    present(on) {
      on = Boolean(on);
      if (on === this.presenting) return;
      this.presenting = on;
      this.root.classList.toggle("dl-present", on);
      if (!on) { this.compact(false); this.arrange("beside"); }
      if (this.manifest) { this.mapSize = null; this.layout(true).then(() => this.draw()); }
    }

    // What presentation mode shows above the map (or atop the column beside it): the page's
    // ``question`` paragraphs (a lesson's question and its choices), and ``answer``'s in their
    // place once revealed (showAnswer: the A key, the bar's button, or PageDown at the last
    // step; the answer's paragraphs before its last, such as the question again, only where
    // the caption fits its height with them: fitCaption), **bold** marked as in Markdown; on a
    // page, nothing (the page shows them itself). A new question starts unrevealed. True if
    // what is shown changed.
    setCaption(question, answer) {
      question = (question || []).map(String);
      answer = (answer || []).map(String);
      if (question.join("\n") !== this.question.join("\n")) this.answerShown = false;
      this.question = question;
      this.answer = answer;
      if (!answer.length) this.answerShown = false;
      return this.renderCaption();
    }

    // The answer (true) or the question's choices in the caption; false where there is no
    // answer to show. The caption's height changes: the map is fitted again.
    showAnswer(on) {
      if (!this.answer.length) return false;
      this.answerShown = Boolean(on);
      if (this.renderCaption() && this.manifest) this.resize();
      return true;
    }

    renderCaption() {
      const el = this.el, paragraphs = this.answerShown ? this.answer : this.question;
      el.answer.hidden = !this.answer.length;
      el.answer.textContent = this.answerShown ? "Hide the answer" : "Reveal the answer";
      const html = paragraphs.map((text, i) => {
        const safe = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
        const context = this.answerShown && i < paragraphs.length - 1 ? ' class="dl-context"' : "";
        return `<p${context}>${safe.replace(/\*\*(.+?)\*\*/g, "<b>$1</b>")}</p>`;
      });
      if (html.length && this.answer.length) {  // how to reveal, where it fits (fitCaption)
        const key = this.answerShown ? "A: the choices" : "A: the answer";
        html[html.length - 1] = html[html.length - 1].replace(/<\/p>$/, ` <span class="dl-caption-key">(${key})</span></p>`);
      }
      const shown = html.length ? `<span class="dl-corner"></span>${html.join("")}` : "";
      if (shown === el.caption.innerHTML) return false;
      el.caption.innerHTML = shown;
      el.caption.dataset.answer = this.answerShown ? "shown" : "";
      return true;
    }

    // Presentation mode: the box at the caption's top right that the page's button
    // (``keepClear``: the leave button, fixed at the screen's top right) covers, with a gap:
    // the playback bar under the mouse stops short of it (player.css: --clear-right), and the
    // caption's text flows around it (player.css: .dl-corner), or starts under it where
    // the room beside it is narrower than CORNER_BESIDE ems (a caption in the column beside a
    // square map). Nothing where the button stands clear of the caption (above the player)
    // or the page is not ours to read.
    clearCorner() {
      const caption = this.el.caption, corner = caption.querySelector(".dl-corner");
      if (!corner) return;
      const font = parseFloat(getComputedStyle(caption).fontSize) || 16;
      let width = 0, height = 0;
      try {
        const button = this.keepClear && window.frameElement
          && window.frameElement.ownerDocument.querySelector(this.keepClear);
        if (button) {
          const frame = window.frameElement.getBoundingClientRect(), b = button.getBoundingClientRect();
          const box = caption.getBoundingClientRect(), gap = Math.max(6, Math.round(0.4 * font));
          width = Math.ceil(frame.left + box.right - b.left + gap);
          height = Math.ceil(b.bottom - (frame.top + box.top) + gap);
        }
      } catch (error) { /* a page of another origin */ }
      const covers = width > 0 && height > 0;
      this.root.style.setProperty("--clear-right", covers ? width + "px" : "0px");  // the bar's too
      if (covers && caption.clientWidth - width < CORNER_BESIDE * font) width = caption.clientWidth;
      corner.style.width = covers ? width + "px" : "0";
      corner.style.height = covers ? height + "px" : "0";
    }

    // Presentation mode: the caption's type as large as keeps it within ``budget`` pixels of
    // height (READOUT_FONT times presentScale, down to a 34th of the height filled), its text
    // clear of the leave button (clearCorner); an answer's context (the question again) only
    // where the answer fits with it at that least size; how to reveal the answer ("A: the
    // answer") at its end only where that makes it no taller. Its height as laid out, with
    // its margin (0 without one).
    fitCaption(budget, fill) {
      const caption = this.el.caption;
      if (!caption.childElementCount) { this.root.style.removeProperty("--clear-right"); return 0; }
      const most = Math.round(READOUT_FONT * this.presentScale);
      const least = Math.max(READOUT_LEAST, Math.floor(fill / 34));
      const key = caption.querySelector(".dl-caption-key");
      const context = Array.from(caption.querySelectorAll(".dl-context"));
      const height = () => caption.getBoundingClientRect().height;
      if (key) key.hidden = true;
      const fit = () => {
        let size = most;
        caption.style.fontSize = size + "px";
        this.clearCorner();
        while (size > least && height() > budget) {
          caption.style.fontSize = --size + "px";
          this.clearCorner();
        }
      };
      context.forEach((p) => { p.hidden = false; });
      fit();
      for (const p of context) {
        if (height() <= budget) break;
        p.hidden = true;
        fit();
      }
      if (key) {
        const without = height();
        key.hidden = false;
        if (height() > without + 0.5) key.hidden = true;
      }
      return height() + (parseFloat(getComputedStyle(caption).marginBottom) || 0);
    }

    fullscreen() {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (this.root.requestFullscreen) this.root.requestFullscreen();
    }

    // --- data ------------------------------------------------------------------------------

    show(manifest, bytes, id) {
      if (id === this.id && this.fading) {  // a click the page did not take: same runs
        this.fading = false;
        this.pendingStart = null;
        this.draw();
      }
      if (id === this.id || id === this.coming) return Promise.resolve();
      this.coming = id;
      return inflate(bytes).then((buffer) => {
        if (this.coming !== id) return null;  // newer data arrived meanwhile
        return this.load(manifest, reader(buffer), id);
      });
    }

    load(manifest, array, id) {
      const sameMap = this.manifest && JSON.stringify(this.mapKey(manifest)) === JSON.stringify(this.mapKey(this.manifest));
      const sameShape = this.manifest && this.manifest.runs.length === manifest.runs.length
        && this.manifest.curves.length === manifest.curves.length;
      this.manifest = manifest;
      this.array = array;
      this.steps = manifest.steps;
      this.floor = manifest.floor;
      this.fading = false;
      this.pendingStart = null;
      // The first data opens at the runs' end (every path whole), and newer data keeps the
      // step (or the end); where the page asks, all data opens at step 0 (a lesson, a
      // variation: the outcome is its question's answer, to see after pressing Play).
      const atEnd = !this.opensAtStart && (this.id === null || this.step >= this.steps);
      this.runs = manifest.runs.map((run) => this.loadRun(run));
      this.dataView = manifest.map.data_view && {
        u: array(manifest.map.data_view.u), v: array(manifest.map.data_view.v),
        grid: array(manifest.map.data_view.grid),
      };
      this.step = atEnd ? this.steps : this.opensAtStart ? 0 : Math.min(this.step, this.steps);
      this.el.scrub.max = String(this.steps);
      this.el.stepInput.max = String(this.steps);
      this.el.total.textContent = String(this.steps);
      this.el.arrows.hidden = !(manifest.arrows && manifest.arrows.length);
      if (!sameShape) this.buildTable(); else this.refreshTable();
      this.el.plot.dataset.ready = "";
      return this.layout(!sameMap).then(() => {
        this.id = id;
        this.el.plot.dataset[this.previewAxes ? "preview" : "ready"] = id;
        this.draw();
      });
    }

    mapKey(manifest) {
      const m = manifest.map;
      return [m.bounds, m.image.length, m.image.slice(-64), m.points, m.colorbar,
        Boolean(m.data_view), manifest.clickable];
    }

    loadRun(run) {
      const a = this.array, arr = run.arrays;
      const committed = new Track(null, a(arr.xy), a(arr.loss), a(arr.gap), a(arr.lr),
        a(arr.grad_norm), run.label);
      committed.status = run.status;  // the words at each step (figures/status.py: timeline)
      const steps = run.steps ? a(run.steps) : null;
      const sliders = run.sliders.map((s) => ({
        spec: s, values: a(s.values), xy: a(s.xy), loss: a(s.loss), lr: a(s.lr),
        grad: a(s.grad_norm), index: s.current,
      }));
      return {
        spec: run, committed, steps, sliders, track: committed, moved: null,
        batchGap: a(arr.batch_gap), fit: a(arr.fit),
        band: run.band.map((r) => a(r)), reference: a(run.reference), averaged: a(run.averaged),
        arrows: run.arrows ? { descent: a(run.arrows.descent), step: a(run.arrows.step),
          velocity: a(run.arrows.velocity) } : null,
        evaluated: a(run.evaluated),
      };
    }

    // the track of value j of slider s of a run (its neighbourhood), or its committed path
    trackOf(run, s, j) {
      const slider = run.sliders[s];
      if (j === slider.spec.current) return run.committed;
      const k = run.steps.length;
      const xy = slider.xy.subarray(j * k * 2, (j + 1) * k * 2);
      const loss = slider.loss.subarray(j * k, (j + 1) * k);
      const floor = this.floor;
      let gap = loss;
      if (floor !== null) { gap = new Float32Array(k); for (let i = 0; i < k; i++) gap[i] = loss[i] - floor; }
      const track = new Track(run.steps, xy, loss, gap, slider.lr.subarray(j * k, (j + 1) * k),
        slider.grad.subarray(j * k, (j + 1) * k), slider.spec.ended[j] || "");
      const at = slider.spec.ended_at ? slider.spec.ended_at[j] : -1;
      track.status = { events: at >= 0 ? [[at, track.ended]] : [], last: track.last, end: track.ended };
      return track;
    }

    // --- the table of runs: sliders and the readout -------------------------------------------

    buildTable() {
      const runs = this.runs;
      const anySlider = runs.some((r) => r.sliders.length);
      const head = ["run", ...(anySlider ? ["try another value (drag)"] : []),
        "step", "x", "y", "loss", "lr", "‖∇f‖"];
      const keys = ["run", ...(anySlider ? ["try"] : []), "step", "x", "y", "loss", "lr", "grad"];
      const numeric = anySlider ? 2 : 1;
      this.el.head.innerHTML = "<tr>" + head.map((h, i) => `<th data-key="${keys[i]}"${i >= numeric ? ' class="dl-num"' : ""}>${h}</th>`).join("") + "</tr>";
      this.el.body.innerHTML = "";
      this.cells = runs.map((run, i) => {
        const tr = document.createElement("tr");
        tr.dataset.run = String(i);
        const name = document.createElement("td");
        name.className = "dl-who";
        name.innerHTML = `<span class="dl-swatch"></span><span class="dl-name"></span><div class="dl-status"></div>`;
        tr.appendChild(name);
        let sliders = null;
        if (anySlider) {
          sliders = document.createElement("td");
          sliders.dataset.key = "try";
          tr.appendChild(sliders);
        }
        const nums = ["step", "x", "y", "loss", "lr", "grad"].map((key) => {
          const td = document.createElement("td");
          td.className = "dl-num";
          td.dataset.key = key;
          tr.appendChild(td);
          return td;
        });
        this.el.body.appendChild(tr);
        return { tr, name, sliders, nums };
      });
      this.refreshTable();
    }

    refreshTable() {
      this.runs.forEach((run, i) => {
        const cell = this.cells[i], spec = run.spec;
        const swatch = cell.name.querySelector(".dl-swatch");
        swatch.style.borderTopColor = spec.color;
        swatch.style.borderTopStyle = spec.dash === "solid" ? "solid" : "dashed";
        const name = cell.name.querySelector(".dl-name");
        name.textContent = spec.name;
        name.style.color = spec.text;
        if (!cell.sliders) return;
        cell.sliders.innerHTML = "";
        run.sliders.forEach((slider, s) => {
          const box = document.createElement("div");
          box.className = "dl-slider";
          const label = slider.spec.name === "beta1" ? "β1" : slider.spec.name;
          box.innerHTML = `<span class="dl-label"></span><input type="range" min="0" step="1"><span class="dl-value"></span>`;
          box.querySelector(".dl-label").textContent = label;
          const input = box.querySelector("input"), value = box.querySelector(".dl-value");
          input.max = String(slider.values.length - 1);
          input.value = String(slider.index);
          input.setAttribute("aria-label", `${spec.name}: ${slider.spec.name}`);
          input.title = `Drag to see ${spec.name} at another ${slider.spec.name} at once; release to run it`;
          input.dataset.run = String(i);
          input.dataset.name = slider.spec.name;
          value.textContent = format(slider.values[slider.index]);
          input.addEventListener("input", () => this.slide(i, s, parseInt(input.value, 10)));
          input.addEventListener("change", () => this.commit(i, s));
          slider.input = input;
          slider.label = value;
          cell.sliders.appendChild(box);
        });
      });
      this.readout();
    }

    // A run's slider moved to value j: show that value's path, curves and readout now.
    slide(i, s, j) {
      const t0 = performance.now();
      const run = this.runs[i];
      run.sliders.forEach((other, k) => {
        if (k === s) return;
        other.index = other.spec.current;
        if (other.input) { other.input.value = String(other.index); other.label.textContent = format(other.values[other.index]); other.label.classList.remove("dl-moved"); }
      });
      const slider = run.sliders[s];
      slider.index = j;
      run.track = this.trackOf(run, s, j);
      run.moved = j === slider.spec.current ? null : s;
      slider.label.textContent = format(slider.values[j]);
      slider.label.classList.toggle("dl-moved", run.moved !== null);
      this.draw();
      window.descentLabStats.slider.push(performance.now() - t0);
    }

    // The slider was released: the page keeps the value (standalone: the path stays drawn).
    commit(i, s) {
      const run = this.runs[i], slider = run.sliders[s];
      if (this.standalone || slider.index === slider.spec.current) return;
      this.commits += 1;
      this.send({ kind: "commit", run: i, name: slider.spec.name,
        value: slider.values[slider.index], seq: this.commits, data: this.id });
    }

    readout() {
      const t = this.step;
      this.runs.forEach((run, i) => {
        const track = run.track, cell = this.cells[i];
        const n = track.count(t), p = n - 1;
        const at = track.stepOf(p);
        const exact = !track.steps || at === t || at === track.last;
        const values = [(exact ? "" : "≈ ") + at, track.xy[2 * p], track.xy[2 * p + 1],
          track.loss[p], track.rate(p), track.grad[p]];
        cell.nums.forEach((td, k) => { td.textContent = k === 0 ? values[0] : format(values[k]); });
        const status = cell.name.querySelector(".dl-status");
        const words = statusAt(track.status, t);
        status.textContent = words + (run.moved !== null ? (words ? " · " : "") + "release to keep it" : "");
        status.title = run.moved === null && run.spec.ended ? run.spec.ended : "";
        status.classList.toggle("dl-bad", /diverged/.test(words));
      });
    }

    // --- playback --------------------------------------------------------------------------

    goto(t) {
      this.step = Math.max(0, Math.min(this.steps, Math.round(t)));
      this.draw();
    }

    // the visitor moved to step t (a button, a key, the scrubber, the field): stop there
    land(t) {
      this.moves += 1;
      this.pause();
      this.goto(t);
      this.landed();
    }

    // Tell the page the step the visitor left the player at, once it stops moving (a held
    // key or a dragged scrubber: one report where it stops), and only a step it does not know.
    landed() {
      if (!this.reportSteps || this.standalone) return;
      clearTimeout(this.reporting);
      this.reporting = setTimeout(() => {
        if (this.playing || !this.manifest || this.moves === this.reportedMoves) return;
        this.reported = this.step;
        this.reportedMoves = this.moves;
        this.stepReports += 1;
        this.send({ kind: "step", step: this.step, end: this.step >= this.steps,
          moves: this.moves, seq: this.stepReports, data: this.id });
      }, REPORT_DELAY_MS);
    }

    // The page asks for a step (its own step controls moved): go there, once per request,
    // unless the visitor moved the player since the page last heard from it (a key that
    // reached both, a click on the player): then the player keeps its step, and reports it.
    follow(request) {
      if (!request || request.seq === this.followed || !this.manifest) return;
      this.followed = request.seq;
      if (request.moves !== this.moves) { this.landed(); return; }
      const t = request.step === null ? this.steps : Math.max(0, Math.min(this.steps, Math.round(request.step)));
      this.reported = t;  // the page knows it
      this.pause(false);
      this.goto(t);
    }

    toggle() { this.playing ? this.pause() : this.play(); }

    play() {
      if (this.playing || !this.manifest) return;
      if (this.step >= this.steps) this.step = 0;
      this.moves += 1;
      this.playing = true;
      this.el.play.textContent = "❚❚ Pause";
      this.el.play.setAttribute("aria-pressed", "true");
      // the whole run takes 3 to 10 s at 1×
      const duration = Math.min(10000, Math.max(3000, this.steps * 20));
      let last = performance.now(), position = this.step;
      const tick = (now) => {
        if (!this.playing) return;
        position += (now - last) * this.speed * this.steps / duration;
        last = now;
        const t = Math.min(this.steps, Math.floor(position));
        if (t !== this.step) this.goto(t);
        if (t >= this.steps) { this.pause(); return; }
        this.frame = requestAnimationFrame(tick);
      };
      this.frame = requestAnimationFrame(tick);
    }

    pause(report = true) {
      if (!this.playing) return;
      this.playing = false;
      cancelAnimationFrame(this.frame);
      this.el.play.textContent = "▶ Play";
      this.el.play.setAttribute("aria-pressed", "false");
      if (report) this.landed();
    }

    // --- layout: Plotly draws what never moves -----------------------------------------------

    layout(newMap) {
      const m = this.manifest, el = this.el;
      const width = Math.max(320, this.el.main.clientWidth || this.root.clientWidth);
      const wide = Boolean(m.map.data_view);
      const [[x0, x1], [y0, y1]] = m.map.bounds;
      const ratio = (y1 - y0) / (x1 - x0);
      const { margin, mapWidth, mapHeight, curvesWidth, curvesHeight, side } = this.presenting
        ? this.presentSizes(width, ratio, wide) : this.pageSizes(width, ratio, wide);
      if (!window.Plotly) return this.layoutPreview(mapWidth, mapHeight, margin, curvesWidth, curvesHeight);
      const jobs = [];
      if (newMap || this.mapSize !== `${mapWidth}x${mapHeight}`) {
        jobs.push(this.drawMap(mapWidth, mapHeight, margin));
        this.mapSize = `${mapWidth}x${mapHeight}`;
      }
      const curves = this.shownCurves().length;
      el.curvesBox.style.display = curves ? "" : "none";
      const curveAxes = () => (curves ? this.drawCurveAxes(curvesWidth, curvesHeight, side) : null);
      // New runs on the same map (a control moved): the map is redrawn at once and the
      // curves' axes (Plotly, ~0.1 s of the frame's thread for three subplots) after the
      // next paint; until then the curves keep their old data on their old axes.
      const later = !jobs.length && Boolean(el.curves._fullLayout);
      const token = ++this.curvesToken;
      this.curvesPending = later;
      if (!later) jobs.push(curveAxes());
      return Promise.all(jobs).then(() => {
        this.endPreview();
        this.fitCanvas(el.mapCanvas, el.plot);
        if (!later) { this.fitCanvas(el.curvesCanvas, el.curves); el.curves.dataset.ready = this.coming || ""; }
        this.onResize();
        if (!later) return;
        afterPaint().then(() => {
          if (token !== this.curvesToken) return null;  // a newer layout draws them
          return Promise.resolve(curveAxes()).then(() => {
            if (token !== this.curvesToken) return;
            this.curvesPending = false;
            this.fitCanvas(el.curvesCanvas, el.curves);
            if (this.shownCurves().length) this.drawCurves();
            el.curves.dataset.ready = this.id || "";
            this.onResize();
          });
        });
      });
    }

    // Before plotly.js has run in this frame (~1 s on a page's first map: fetched, parsed and
    // run on the page's one main thread), the map is drawn without it: its picture where
    // Plotly will put the plot (the margins, then the axes' shared scale centred, as
    // scaleanchor and constrain "domain" do), the paths on the canvas over it, and the
    // frame's final size; axes, colour bar, points and curves come with Plotly (upgrade).
    layoutPreview(mapWidth, mapHeight, margin, curvesWidth, curvesHeight) {
      const m = this.manifest, el = this.el;
      const [[x0, x1], [y0, y1]] = m.map.bounds;
      const across = this.mapAcross(mapWidth, mapHeight, margin);
      const down = mapHeight - margin.t - margin.b;
      const scale = Math.min(across / (x1 - x0), down / (y1 - y0));
      const width = scale * (x1 - x0), height = scale * (y1 - y0);
      const left = margin.l + (across - width) / 2, top = margin.t + (down - height) / 2;
      this.previewAxes = {
        left, top, width, height, ylog: false,
        x: (v) => left + width * (v - x0) / (x1 - x0),
        y: (v) => top + height * (1 - (v - y0) / (y1 - y0)),
      };
      el.plot.style.width = mapWidth + "px";
      el.plot.style.height = mapHeight + "px";
      el.curvesBox.style.display = this.shownCurves().length ? "" : "none";
      el.curves.style.width = curvesWidth + "px";
      el.curves.style.height = curvesHeight + "px";
      let picture = el.mapBox.querySelector(".dl-preview");
      if (!picture) {
        picture = document.createElement("img");
        picture.className = "dl-preview";
        picture.alt = "";
        el.mapBox.insertBefore(picture, el.plot);
      }
      Object.assign(picture.style, { left: left + "px", top: top + "px", width: width + "px", height: height + "px" });
      picture.src = m.map.image;
      this.mapSize = null;  // Plotly draws the map when it comes
      this.fitCanvas(el.mapCanvas, el.plot);
      this.onResize();
      return picture.decode().catch(() => null);
    }

    // plotly.js has run in this frame: Plotly draws the map and the curves drawn without it.
    upgrade() {
      if (!this.previewAxes || !this.manifest || !window.Plotly) return Promise.resolve();
      const id = this.id;
      return this.layout(true).then(() => {
        if (id === null || id !== this.id) return;  // newer data: its own load marks it
        this.el.plot.dataset.ready = id;
        this.draw();
      });
    }

    endPreview() {
      if (!this.previewAxes) return;
      this.previewAxes = null;
      const picture = this.el.mapBox.querySelector(".dl-preview");
      if (picture) picture.remove();
      for (const box of [this.el.plot, this.el.curves]) { box.style.width = ""; box.style.height = ""; }
      delete this.el.plot.dataset.preview;
    }

    // The curves drawn: all of them, but in presentation mode only as many as the height
    // beside the map has room for (presentSizes), the first ones.
    shownCurves() {
      const all = this.manifest.curves;
      return this.presenting && this.curveCount !== undefined ? all.slice(0, this.curveCount) : all;
    }

    // Presentation mode: the least height of n curves stacked beside the map (each plot with
    // room for CURVE_TICKS tick labels, a title between two of them: curveGap)
    curvesRoom(n) {
      const look = this.look, margin = look.curveMargin;
      return margin.t + margin.b + n * CURVE_TICKS * TICK_SPACING * look.curveFont + (n - 1) * this.curveGap();
    }

    curveGap() { return 2 * this.look.title; }

    // A y axis's ticks for a plot ``px`` pixels tall: labels at least TICK_SPACING font sizes
    // apart. A log axis labels every d-th power of ten (d as small as that allows); a linear
    // one (or a log one spanning less than a decade) lets Plotly choose at most that many.
    yTicks(range, log, px) {
      const most = Math.max(1, Math.floor(px / (TICK_SPACING * this.look.curveFont)));
      const span = Math.abs(range[1] - range[0]);
      if (log && span >= 1) return { tickmode: "linear", tick0: 0, dtick: Math.max(1, Math.ceil(span / most)) };
      return { nticks: log ? Math.max(1, Math.floor(most / 2)) : most };
    }

    // On a page (and fullscreen): the curves beside a map that is about square or tall, under
    // a wide one.
    pageSizes(width, ratio, wide) {
      const m = this.manifest, el = this.el;
      const full = Boolean(document.fullscreenElement);
      const side = !wide && width >= 720 && ratio >= 0.75 && m.curves.length > 0;
      el.main.classList.toggle("dl-stacked", !side);
      el.mapBox.style.width = "";
      el.readout.style.maxHeight = "";
      const mapWidth = side ? Math.floor(width * 0.62) : width;
      const margin = { l: 55, r: wide ? 20 : this.colorbarRoom(), t: 12, b: 45 };
      const plotWidth = (wide ? DATA_SHARE : 1) * (mapWidth - margin.l - margin.r);
      const stackedCurves = !side && m.curves.length ? 250 : 0;
      // Fullscreen: the map's plot takes what the screen leaves after everything drawn around
      // it (bar, note, readout, curves under it), as measured now: a readout row grows when
      // its sliders arrive.
      const fill = full ? window.innerHeight : this.fillHeight;
      const box = (e) => e.getBoundingClientRect();
      const tableBottom = box(el.body.parentElement).bottom;
      const pad = parseFloat(getComputedStyle(this.root).paddingBottom) || 0;
      const around = (box(el.main).top - box(this.root).top) + (tableBottom - box(el.main).bottom) + pad;
      const maxHeight = fill ? fill - around - margin.t - margin.b - stackedCurves - 12 : 620;
      const mapHeight = Math.round(Math.min(maxHeight, Math.max(200, plotWidth * ratio)) + margin.t + margin.b);
      return { margin, mapWidth, mapHeight, side, curvesHeight: side ? mapHeight : stackedCurves,
        curvesWidth: side ? width - mapWidth - 10 : width };
    }

    // Presentation mode (player.css: .dl-present, a grid): the map as large as the height
    // given allows, in one of three arrangements (arrange): beside a column of its curves, the
    // step line and the readout (a map about square or tall); across the width with the step
    // line and a compact readout in a row under it (a map too wide for that, or beside its
    // data view: underSizes); over its curves and readout (a map with no curves).
    presentSizes(width, ratio, wide) {
      const m = this.manifest, el = this.el;
      const fill = (document.fullscreenElement ? 0 : this.fillHeight) || window.innerHeight;
      this.presentScale = Math.max(1, fill / PRESENT_HEIGHT);
      this.root.style.setProperty("--k", String(this.presentScale));  // player.css
      const margin = { ...this.look.margin, r: wide ? 24 : this.colorbarRoom() };
      const beside = !wide && m.curves.length > 0;
      const box = (e) => e.getBoundingClientRect();
      const gap = 14;  // player.css: the grid's column gap
      if (wide) {
        // a map beside its data view: the two across the width (the map's plot DATA_SHARE of
        // it, as tall as that or the height allows: dataViewLayout), the row under them
        const under = this.underSizes(width, DATA_SHARE * ratio, fill, margin);
        return { ...under, mapWidth: width };
      }
      if (beside) {
        const column = Math.max(200, Math.round(0.3 * width));
        const tallest = fill - margin.t - margin.b - 8;
        const besidePlot = Math.min(tallest, (width - column - gap - margin.l - margin.r) * ratio);
        if ((width - margin.l - margin.r) * ratio > besidePlot) {
          const under = this.underSizes(width, ratio, fill, margin);
          if (under.plotHeight > besidePlot) return under;
        }
        this.arrange("beside");
        const plotHeight = besidePlot, plotWidth = plotHeight / ratio;
        const mapWidth = Math.floor(plotWidth + margin.l + margin.r);
        el.mapBox.style.width = mapWidth + "px";
        // the readout first (it scrolls only where even its compact form is taller than the
        // column), then as many curves as the rest has room for: none where one would be too
        // short to read
        el.readout.style.maxHeight = "";
        const caption = this.fitCaption(0.3 * fill, fill);
        const line = box(el.line).height, under = fill - caption - line - 24;
        this.fitReadout(width - mapWidth - gap, under, m.curves.length ? under - this.curvesRoom(1) : under, fill);
        const readout = Math.min(box(el.readout).height, under);
        el.readout.style.maxHeight = readout >= under ? under + "px" : "";
        const room = under - readout;
        let count = m.curves.length;
        while (count > 0 && this.curvesRoom(count) > room) count--;
        this.curveCount = count;
        return { margin, mapWidth, mapHeight: Math.floor(plotHeight + margin.t + margin.b),
          curvesWidth: width - mapWidth - gap, curvesHeight: count ? Math.floor(room) : 0, side: true };
      }
      this.arrange("stacked");
      el.mapBox.style.width = "";
      el.readout.style.maxHeight = "";
      this.compact(false);
      this.curveCount = m.curves.length;
      const curvesHeight = m.curves.length ? Math.max(this.curvesRoom(1), Math.round(0.28 * fill)) : 0;
      const caption = this.fitCaption(0.15 * fill, fill);
      const rest = caption + box(el.line).height + box(el.body.parentElement).height + curvesHeight + 24;
      const plotWidth = width - margin.l - margin.r;
      const plotHeight = Math.max(120, Math.min(fill - rest - margin.t - margin.b, plotWidth * ratio));
      return { margin, mapWidth: width, mapHeight: Math.floor(plotHeight + margin.t + margin.b),
        curvesWidth: width, curvesHeight, side: false };
    }

    // Presentation mode's arrangement (player.css): "beside", "under" or "stacked".
    arrange(kind) {
      this.root.classList.toggle("dl-present-under", kind === "under");
      this.root.classList.toggle("dl-present-stacked", kind === "stacked");
      if (kind !== "under") this.root.classList.remove("dl-no-keys");
    }

    // Presentation mode, a map too wide for the room beside a column (a quadratic lesson's,
    // twice as wide as tall): the map across the width, under it a row of the step line and
    // the compact readout, the runs side by side (player.css: .dl-present-under). Its type as
    // large as lets the map fill the width: READOUT_FONT, smaller down to READOUT_UNDER (both
    // times presentScale; a status of 15 px at 1280 x 720), or on a small screen to a 34th of
    // the height filled, while the runs make the row taller than the step line; the keys
    // under the step only where they make the row no taller; the curves under the row where
    // the height left has room for them (a screen taller than 16:9), else none. Returns the
    // sizes, and the plot's height (to compare with the map beside a column).
    underSizes(width, ratio, fill, margin) {
      const m = this.manifest, el = this.el, root = this.root;
      this.arrange("under");
      el.mapBox.style.width = "";
      el.readout.style.maxHeight = "";
      const box = (e) => e.getBoundingClientRect();
      const row = () => {
        const line = box(el.line), readout = box(el.readout);
        return Math.max(line.bottom, readout.bottom) - Math.min(line.top, readout.top);
      };
      const caption = this.fitCaption(0.15 * fill, fill);  // above the map
      const across = width - margin.l - margin.r, tallest = fill - caption - margin.t - margin.b - 8;
      const room = tallest - across * ratio;  // under a map as wide as the player
      const most = Math.round(READOUT_FONT * this.presentScale);
      const least = Math.max(READOUT_LEAST, Math.min(Math.round(READOUT_UNDER * this.presentScale),
        Math.floor(fill / 34)));
      let size = most;
      root.classList.add("dl-no-keys");
      this.compact(true, size);
      const taller = () => box(el.readout).height > box(el.line).height;  // the runs make the row
      while (size > least && row() > room && taller()) this.compact(true, --size);
      const runs = row();
      root.classList.remove("dl-no-keys");
      if (row() > Math.max(runs, room)) root.classList.add("dl-no-keys");
      const plotHeight = Math.min(across * ratio, tallest - row());
      const left = tallest - plotHeight - row() - 8;
      this.curveCount = m.curves.length && left >= this.curvesRoom(1) ? m.curves.length : 0;
      return { margin, mapWidth: Math.floor(plotHeight / ratio + margin.l + margin.r),
        mapHeight: Math.floor(plotHeight + margin.t + margin.b), plotHeight,
        curvesWidth: width, curvesHeight: this.curveCount ? Math.floor(left) : 0, side: false };
    }

    // Presentation mode: the readout that fits a column ``width`` wide: whole (a table) where
    // it leaves room for a curve (``withCurve`` pixels) and the column is wide enough for
    // its table, else compact (player.css: .dl-compact), its type as large as leaves a
    // curve room down to READOUT_WITH_CURVE px, else as large as fits alone (``under``)
    // down to a 34th of the height filled (its status a 38th: as large a share of the
    // screen as the whole readout's 17 px status at 1280 x 720).
    fitReadout(width, under, withCurve, fill) {
      const height = () => this.el.readout.getBoundingClientRect().height;
      const whole = width >= 360;
      const fits = (compact, size, room) => { this.compact(compact, size); return height() <= room; };
      if (whole && fits(false, 0, withCurve)) return;
      const least = Math.max(READOUT_LEAST, Math.floor(fill / 34));
      const most = Math.round(READOUT_FONT * this.presentScale);
      const withCurveLeast = Math.round(READOUT_WITH_CURVE * this.presentScale);
      for (let size = most; size >= withCurveLeast; size--) if (fits(true, size, withCurve)) return;
      if (whole && fits(false, 0, under)) return;
      for (let size = most; size > least; size--) if (fits(true, size, under)) return;
      this.compact(true, least);
    }

    compact(on, size) {
      this.root.classList.toggle("dl-compact", on);
      this.el.readout.style.fontSize = on ? size + "px" : "";
    }

    resize() {
      if (!this.manifest) return;
      this.mapSize = null;
      this.layout(false).then(() => this.draw());
    }

    fitCanvas(canvas, over) {
      const ratio = window.devicePixelRatio || 1;
      const w = over.clientWidth, h = over.clientHeight;
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
      canvas.getContext("2d").setTransform(ratio, 0, 0, ratio, 0, 0);
    }

    // The width the colour bar takes right of the map's plot (a map beside its data view has
    // it between the two): the gap, the bar, its widest tick label, its title on its side,
    // measured in the font Plotly draws them with.
    colorbarRoom(thickness = this.look.bar) {
      const bar = this.manifest.map.colorbar, ticks = colorbarTicks(bar.low, bar.high);
      const label = this.widest(ticks.texts);
      return Math.ceil(COLORBAR_PAD + thickness + 4 + label + 6 + 1.3 * this.look.font + COLORBAR_PAD);
    }

    // the width of the widest of ``texts`` in the font Plotly draws the map's labels with
    // (``size`` px)
    widest(texts, size = this.look.font) {
      const ctx = (this.measure = this.measure || document.createElement("canvas").getContext("2d"));
      ctx.font = `${size}px ${FONT}`;
      return Math.max(...texts.map((t) => ctx.measureText(t).width));
    }

    // ``text`` in lines no wider than ``px`` in type of ``size`` px (a word wider than that
    // alone on its line), joined by Plotly's line break
    wrap(text, px, size) {
      const lines = [];
      for (const word of text.split(" ")) {
        const last = lines.length ? `${lines[lines.length - 1]} ${word}` : null;
        if (last !== null && this.widest([last], size) <= px) lines[lines.length - 1] = last;
        else lines.push(word);
      }
      return lines.join("<br>");
    }

    // the colour bar's thickness beside a data view (grown with presentation mode's scale)
    dataBar() { return DATA_BAR * (this.presenting ? this.presentScale : 1); }

    // The width of the map's plot in a figure ``width`` x ``height`` (its margins given): the
    // whole plot's, or beside a data view dataViewLayout's.
    mapAcross(width, height, margin) {
      return this.manifest.map.data_view ? this.dataViewLayout(width, height, margin).across
        : width - margin.l - margin.r;
    }

    // A map beside a chart of its data, in pixels from the plot's left (P wide): the map's
    // plot ``across`` = min(DATA_SHARE P, its height / the map's height-to-width ratio) (the
    // height its figure was given fills), then the colour bar (colorbarRoom: gap, bar, tick
    // labels, title, gap), then the data chart's y axis (its tick labels, chosen here as the
    // colour bar's are so their width is known, their standoff, its title, an em), and the
    // data chart from ``dataLeft`` to the right end; the map narrower where the data chart
    // would be under DATA_LEAST P. Nothing of the bar meets the data chart's axis at any size.
    dataViewLayout(width, height, margin) {
      const [[x0, x1], [y0, y1]] = this.manifest.map.bounds;
      const plot = width - margin.l - margin.r, down = height - margin.t - margin.b;
      const v = this.dataView.v;
      let lo = Infinity, hi = -Infinity;
      for (const value of v) { lo = Math.min(lo, value); hi = Math.max(hi, value); }
      const pad = 0.25 * Math.max(hi - lo, 1e-6);
      const range = [lo - pad, hi + pad];
      const room = Math.floor(down / (TICK_SPACING * this.look.font));
      const yTicks = colorbarTicks(range[0], range[1], Math.max(1, Math.min(COLORBAR_TICKS, room)));
      const font = this.look.font;
      // an em between the bar's title and the axis's: Plotly's gaps around a title grow with its type
      const axisRoom = Math.ceil(this.tickStandoff(font) + this.widest(yTicks.texts) + 4 + 1.3 * font + font);
      const between = this.colorbarRoom(this.dataBar()) + axisRoom;
      const across = Math.max(0, Math.min(DATA_SHARE * plot, down * (x1 - x0) / (y1 - y0),
        (1 - DATA_LEAST) * plot - between));
      return { across, plot, range, yTicks, dataLeft: Math.min(across + between, (1 - DATA_LEAST) * plot) };
    }

    drawMap(width, height, margin) {
      const m = this.manifest, map = m.map;
      const [[x0, x1], [y0, y1]] = map.bounds;
      // the colour bar is as tall as the plot (a wide map's is shorter than the room): its
      // labels at least TICK_SPACING font sizes apart, as a curve's
      const across = this.mapAcross(width, height, margin);
      const barHeight = Math.min(height - margin.t - margin.b, across * (y1 - y0) / (x1 - x0));
      const room = Math.floor(barHeight / (TICK_SPACING * this.look.font));
      const bar = map.colorbar, ticks = colorbarTicks(bar.low, bar.high, Math.max(1, Math.min(COLORBAR_TICKS, room)));
      const grow = this.presenting ? this.presentScale : 1;  // the known points' markers
      const data = [{
        type: "scatter", mode: "markers", x: [null], y: [null], hoverinfo: "skip", showlegend: false,
        marker: { color: [bar.low], cmin: bar.low, cmax: bar.high, showscale: true, colorscale: bar.colorscale,
          colorbar: { title: { text: bar.title, side: "right" }, thickness: this.look.bar, len: 1, outlinewidth: 0,
            x: 1, xanchor: "left", xpad: COLORBAR_PAD, tickmode: "array", tickvals: ticks.values, ticktext: ticks.texts } },
      }];
      for (const kind of [...new Set(map.points.map((p) => p.kind))]) {
        const pts = map.points.filter((p) => p.kind === kind);
        data.push({
          type: "scatter", mode: "markers", name: kind, x: pts.map((p) => p.x), y: pts.map((p) => p.y),
          showlegend: false, hovertemplate: `${kind}<br>(%{x:.3f}, %{y:.3f})<extra></extra>`,
          marker: { symbol: pts[0].symbol, size: pts[0].size * grow, color: pts[0].color, line: { width: 1.5 * grow, color: pts[0].color } },
        });
      }
      const layout = {
        // margins as given (colorbarRoom made room for the bar): the map drawn before plotly.js
        // ran (layoutPreview) put the plot where this puts it
        width, height, margin: { ...margin, autoexpand: false },
        font: { family: FONT, size: this.look.font, color: this.look.ink }, showlegend: false,
        xaxis: { range: [x0, x1], title: { text: "x", standoff: 4 + this.tickStandoff(this.look.font) }, constrain: "domain", showgrid: false, zeroline: false, fixedrange: true,
          ticklabelstandoff: this.tickStandoff(this.look.font) },
        yaxis: { range: [y0, y1], title: { text: "y", standoff: 4 }, scaleanchor: "x", constrain: "domain", showgrid: false, zeroline: false, fixedrange: true },
        images: [{ source: map.image, xref: "x", yref: "y", x: x0, y: y1, sizex: x1 - x0, sizey: y1 - y0,
          sizing: "stretch", layer: "below", xanchor: "left", yanchor: "top" }],
        plot_bgcolor: "white", paper_bgcolor: "white", dragmode: false, hovermode: "closest",
      };
      if (map.data_view) {
        const view = map.data_view, v = this.dataView.v, grid = this.dataView.grid;
        const split = this.dataViewLayout(width, height, margin), font = this.look.font;
        layout.xaxis.domain = [0, split.across / split.plot];
        layout.xaxis.title.text = `${view.axes[0]}  (x)`;
        layout.yaxis.title.text = `${view.axes[1]}  (y)`;
        layout.xaxis2 = { domain: [split.dataLeft / split.plot, 1], anchor: "y2", zeroline: false, fixedrange: true,
          title: { text: "u (input)", standoff: 4 + this.tickStandoff(font) }, ticklabelstandoff: this.tickStandoff(font),
          range: [grid[0], grid[grid.length - 1]] };
        layout.yaxis2 = { anchor: "x2", zeroline: false, fixedrange: true, title: { text: "v (target)", standoff: 4 },
          ticklabelstandoff: this.tickStandoff(font), range: split.range,
          tickmode: "array", tickvals: split.yTicks.values, ticktext: split.yTicks.texts };
        // the data chart's title in its top left corner, in lines as wide as the chart
        const title = this.wrap(view.title, 0.9 * (split.plot - split.dataLeft), this.look.title);
        layout.annotations = [{ text: title, xref: "x2 domain", yref: "y2 domain", x: 0.02, xanchor: "left", align: "left",
          y: 0.99, yanchor: "top", showarrow: false, font: { size: this.look.title }, bgcolor: "rgba(255,255,255,0.8)" }];
        data[0].marker.colorbar.x = split.across / split.plot;
        data[0].marker.colorbar.thickness = this.dataBar();
        data.push({ type: "scatter", mode: "markers", x: Array.from(this.dataView.u), y: Array.from(v),
          xaxis: "x2", yaxis: "y2", name: "data", showlegend: false,
          marker: { color: "rgba(60, 60, 60, 0.45)", size: 5 * grow }, hovertemplate: "u = %{x:.3f}<br>v = %{y:.3f}<extra>data</extra>" });
      }
      return Plotly.react(this.el.plot, data, layout, { displayModeBar: false, responsive: false, scrollZoom: false, doubleClick: false });
    }

    // the range a curve's axis shows: every committed run's finite values (positive on a log
    // axis), a little padded; a flat set of values gets a decade (or ±50 %) around it
    curveRange(spec) {
      let lo = Infinity, hi = -Infinity;
      for (const run of this.runs) {
        const values = run.committed[spec.key === "grad_norm" ? "grad" : spec.key];
        for (let i = 0; i < run.committed.points; i++) {
          const v = values[i];
          if (!Number.isFinite(v) || (spec.log && v <= 0)) continue;
          const w = spec.log ? Math.log10(v) : v;
          if (w < lo) lo = w;
          if (w > hi) hi = w;
        }
      }
      if (spec.key === "lr") {  // a dragged lr slider's rates stay on the chart
        for (const run of this.runs) for (const slider of run.sliders) {
          if (slider.spec.name !== "lr") continue;
          for (const v of slider.lr) if (Number.isFinite(v) && v > 0) { lo = Math.min(lo, Math.log10(v)); hi = Math.max(hi, Math.log10(v)); }
        }
      }
      if (!Number.isFinite(lo)) return spec.log ? [-1, 1] : [0, 1];
      if (hi - lo < 1e-9) {
        const half = spec.log ? 0.5 : Math.max(0.5 * Math.abs(lo), 0.5);
        return [lo - half, hi + half];
      }
      const pad = 0.04 * (hi - lo);
      return [lo - pad, hi + pad];
    }

    // How far below its axis an x tick label stands: clear of the y axis's lowest label, which
    // stands half a line below the corner they share
    tickStandoff(font) { return Math.round(0.45 * font); }

    drawCurveAxes(width, height, side) {
      const m = this.manifest, specs = this.shownCurves(), n = specs.length;
      const layout = {
        width, height, font: { family: FONT, size: this.look.curveFont, color: this.look.ink }, showlegend: false,
        margin: { ...this.look.curveMargin }, plot_bgcolor: "white", paper_bgcolor: "white",
        dragmode: false, hovermode: false, annotations: [],
      };
      const plotHeight = height - this.look.curveMargin.t - this.look.curveMargin.b;
      const gap = side ? (this.presenting ? this.curveGap() / plotHeight : 0.16) : 0.09;
      this.curveRanges = specs.map((spec) => this.curveRange(spec));
      specs.forEach((spec, i) => {
        const suffix = i ? String(i + 1) : "";
        let xDomain = [0, 1], yDomain = [0, 1], h = 1;
        if (side) {
          h = (1 - gap * (n - 1)) / n;
          yDomain = [1 - (i + 1) * h - i * gap, 1 - i * h - i * gap];
        } else {
          const w = (1 - gap * (n - 1)) / n;
          xDomain = [i * (w + gap), i * (w + gap) + w];
        }
        layout["xaxis" + suffix] = {
          domain: xDomain, anchor: "y" + suffix, range: [0, Math.max(1, this.steps)], fixedrange: true,
          gridcolor: this.look.grid, zeroline: false, showticklabels: !side || i === n - 1,
          title: (!side || i === n - 1) ? { text: "step", standoff: 2 + this.tickStandoff(this.look.curveFont) } : undefined,
          tickformat: "d", ticklabelstandoff: this.tickStandoff(this.look.curveFont),
        };
        layout["yaxis" + suffix] = {
          domain: yDomain, anchor: "x" + suffix, type: spec.log ? "log" : "linear", range: this.curveRanges[i],
          fixedrange: true, gridcolor: this.look.grid, zeroline: false, exponentformat: "power",
          ...this.yTicks(this.curveRanges[i], spec.log, h * plotHeight),
          title: { text: spec.y_title, standoff: 2 },
        };
        layout.annotations.push({ text: `<b>${spec.title}</b>`, xref: "x" + suffix + " domain", yref: "y" + suffix + " domain",
          x: 0, xanchor: "left", y: 1, yanchor: "bottom", yshift: 4, showarrow: false, font: { size: this.look.title } });
      });
      const data = specs.map((_, i) => ({ type: "scatter", x: [null], y: [null], xaxis: "x" + (i ? i + 1 : ""), yaxis: "y" + (i ? i + 1 : ""), hoverinfo: "skip" }));
      return Plotly.react(this.el.curves, data, layout, { displayModeBar: false, responsive: false, staticPlot: true });
    }

    // --- what moves: drawn on the canvases ----------------------------------------------------

    axes(plot, suffix) {
      if (this.previewAxes && plot === this.el.plot && !suffix) return this.previewAxes;
      const L = plot._fullLayout, xa = L["xaxis" + suffix], ya = L["yaxis" + suffix];
      const xr = xa.range.map(Number), yr = ya.range.map(Number);
      const xlog = xa.type === "log", ylog = ya.type === "log";
      return {
        left: xa._offset, top: ya._offset, width: xa._length, height: ya._length,
        x: (v) => xa._offset + xa._length * ((xlog ? Math.log10(v) : v) - xr[0]) / (xr[1] - xr[0]),
        y: (v) => ya._offset + ya._length * (1 - ((ylog ? Math.log10(v) : v) - yr[0]) / (yr[1] - yr[0])),
        ylog,
      };
    }

    draw() {
      if (!this.manifest || !(this.el.plot._fullLayout || this.previewAxes)) return;
      const t = this.step;
      this.el.scrub.value = String(t);
      if (document.activeElement !== this.el.stepInput) this.el.stepInput.value = String(t);
      this.el.plot.dataset.step = String(t);
      this.root.dataset.step = String(t);
      this.el.lineStep.textContent = `step ${t} / ${this.steps}`;
      this.drawPaths();
      if (this.shownCurves().length && this.el.curves._fullLayout && !this.curvesPending && !this.previewAxes) this.drawCurves();
      this.readout();
    }

    drawPaths() {
      const canvas = this.el.mapCanvas, ctx = canvas.getContext("2d");
      const t = this.step, a = this.axes(this.el.plot, "");
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.width, a.height);
      ctx.clip();
      if (this.previewAxes) {  // the map's points, which Plotly draws (and names on hover) once it has run
        for (const point of this.manifest.map.points) {
          symbolPath(ctx, point.symbol, a.x(point.x), a.y(point.y), point.size * (this.presenting ? this.presentScale : 1) / 2);
          ctx.fillStyle = point.color;
          ctx.fill();
        }
      }
      ctx.globalAlpha = this.fading ? 0.25 : 1;
      ctx.lineJoin = "round";
      ctx.lineCap = "round";
      // drawn once per data, not animated: each noisy run's other seeds and its exact path,
      // and an optimizer's second sequence (ASGD's average, schedule-free AdamW's x), dotted
      for (const run of this.runs) {
        if (run.moved !== null) continue;
        ctx.strokeStyle = run.spec.color;
        for (const band of run.band) this.polyline(ctx, a, band, band.length / 2, 1.5, [], 0.7);
        if (run.reference) this.polyline(ctx, a, run.reference, run.reference.length / 2, 2, [6, 4], 1);
        if (run.averaged) this.polyline(ctx, a, run.averaged, run.averaged.length / 2, 1.5, [2, 3], 1);
        if (run.evaluated) {  // every point where the optimizer evaluated f (L-BFGS): small dots
          ctx.fillStyle = run.spec.color;
          for (let i = 0; i < run.evaluated.length / 2; i++) {
            const x = run.evaluated[2 * i], y = run.evaluated[2 * i + 1];
            if (Number.isFinite(x) && Number.isFinite(y)) ctx.fillRect(a.x(x) - 1, a.y(y) - 1, 2, 2);
          }
        }
      }
      const look = this.look;
      if (look.casing) {  // presentation: a white casing under every path first
        ctx.strokeStyle = HALO;
        for (const run of this.runs) this.polyline(ctx, a, run.track.xy, run.track.count(t), look.path + look.casing, [], 1);
      }
      for (const run of this.runs) {
        const track = run.track, n = track.count(t);
        ctx.strokeStyle = run.spec.color;
        ctx.fillStyle = run.spec.color;
        this.polyline(ctx, a, track.xy, n, look.path, dashPattern(run.spec.dash, look.path), 1);
        const stride = Math.max(1, Math.ceil(n / MAX_DOTS)), d = look.dot;
        for (let i = 0; i < n; i += stride) {
          const x = track.xy[2 * i], y = track.xy[2 * i + 1];
          if (!Number.isFinite(x)) continue;
          ctx.fillRect(a.x(x) - d / 2, a.y(y) - d / 2, d, d);
        }
      }
      for (const run of this.runs) {  // heads above every path
        const track = run.track, p = track.count(t) - 1;
        const x = track.xy[2 * p], y = track.xy[2 * p + 1];
        if (!Number.isFinite(x)) continue;
        symbolPath(ctx, run.spec.symbol, a.x(x), a.y(y), look.head / 2);
        ctx.fillStyle = run.spec.color;
        ctx.fill();
        ctx.setLineDash([]);
        if (look.casing) {  // presentation: a black ring around the white one
          ctx.lineWidth = 5;
          ctx.strokeStyle = "black";
          ctx.stroke();
        }
        ctx.lineWidth = look.casing ? 2.5 : 2;
        ctx.strokeStyle = "white";
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      const start = this.pendingStart || this.manifest.start;
      if (start) {
        ctx.beginPath();
        ctx.arc(a.x(start[0]), a.y(start[1]), look.head * 0.6, 0, 2 * Math.PI);
        ctx.lineWidth = look.casing ? 3.5 : 2.5;
        ctx.strokeStyle = "#000000";
        ctx.setLineDash([]);
        ctx.stroke();
      }
      this.drawArrows(ctx, a);
      ctx.restore();
      this.drawLabels(ctx, a);
      if (this.dataView && !this.previewAxes) this.drawFits(ctx);
    }

    // Each run's arrows at its current point (its committed path only): the step plain
    // gradient descent would take, -lr ∇f, the step taken and, for a momentum method, what
    // momentum adds, drawn from the tip of the first (the two add up to the step). All at one
    // scale: true map lengths, or magnified by one round factor (said under the map) when the
    // longest would be shorter than ARROW_MIN_PX.
    arrowsAt(run) {
      if (!run.arrows || run.moved !== null) return null;
      const p = run.track.count(this.step) - 1, vectors = {};
      for (const key of ["descent", "step", "velocity"]) {
        const values = run.arrows[key];
        if (!values) continue;
        const v = [values[2 * p], values[2 * p + 1]];
        if (!Number.isFinite(v[0]) || !Number.isFinite(v[1])) return null;  // the last point
        vectors[key] = v;
      }
      return { point: p, at: [run.track.xy[2 * p], run.track.xy[2 * p + 1]], vectors };
    }

    drawArrows(ctx, a) {
      const specs = this.manifest.arrows || [];
      this.arrowScale = null;
      if (!specs.length) return;
      const drawn = this.showArrows ? this.runs.map((run) => this.arrowsAt(run)).filter(Boolean) : [];
      let longest = 0;
      const px = (at, v, scale) => [a.x(at[0] + scale * v[0]) - a.x(at[0]), a.y(at[1] + scale * v[1]) - a.y(at[1])];
      for (const d of drawn) {
        for (const v of Object.values(d.vectors)) longest = Math.max(longest, Math.hypot(...px(d.at, v, 1)));
        const tip = [d.vectors.descent[0] + (d.vectors.velocity || [0, 0])[0], d.vectors.descent[1] + (d.vectors.velocity || [0, 0])[1]];
        longest = Math.max(longest, Math.hypot(...px(d.at, tip, 1)));
      }
      const key = this.el.arrowKey;
      if (!drawn.length || !(longest > 0) || !Number.isFinite(longest)) { key.hidden = true; return; }
      let scale = 1;
      if (longest < ARROW_MIN_PX) {  // a round factor: 1, 2 or 5 times a power of ten
        const wanted = ARROW_MIN_PX / longest, power = Math.pow(10, Math.floor(Math.log10(wanted)));
        scale = [1, 2, 5, 10].map((m) => m * power).find((f) => f >= wanted);
      }
      this.arrowScale = scale;
      ctx.save();
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
      for (const d of drawn) {
        const x0 = a.x(d.at[0]), y0 = a.y(d.at[1]);
        for (const spec of specs) {
          const v = d.vectors[spec.key];
          if (!v) continue;
          const from = spec.key === "velocity" ? px(d.at, d.vectors.descent, scale) : [0, 0];
          const [dx, dy] = px(d.at, v, scale);
          arrow(ctx, x0 + from[0], y0 + from[1], x0 + from[0] + dx, y0 + from[1] + dy, spec.color);
        }
      }
      ctx.restore();
      const shown = specs.filter((spec) => drawn.some((d) => d.vectors[spec.key]));
      key.innerHTML = "";
      for (const spec of shown) {
        const item = document.createElement("span");
        item.className = "dl-arrow-item";
        item.innerHTML = '<span class="dl-arrow-swatch"></span><span></span>';
        item.firstChild.style.background = spec.color;
        item.lastChild.textContent = spec.name;
        key.appendChild(item);
      }
      const words = document.createElement("span");
      words.className = "dl-arrow-scale";
      words.textContent = scale === 1 ? "arrows at the current point, to the map's scale"
        : `arrows at the current point, all drawn ${format(scale)}× their length`;
      key.appendChild(words);
      key.hidden = false;
    }

    polyline(ctx, a, xy, n, width, dash, alpha) {
      if (n < 1) return;
      ctx.lineWidth = width;
      ctx.setLineDash(dash);
      const before = ctx.globalAlpha;
      ctx.globalAlpha = before * alpha;
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < n; i++) {
        const x = xy[2 * i], y = xy[2 * i + 1];
        if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; continue; }
        const px = a.x(x), py = a.y(y);
        if (pen) ctx.lineTo(px, py); else { ctx.moveTo(px, py); pen = true; }
      }
      ctx.stroke();
      ctx.globalAlpha = before;
    }

    // "left the map at step k" where the run was last seen, once the playback gets there,
    // kept inside the plot (a small map's label would run onto its colour bar or off the
    // frame): moved along, and set smaller where the plot is narrower than the words.
    // this.labelBoxes: where each was drawn (for tests).
    drawLabels(ctx, a) {
      ctx.save();
      this.labelBoxes = [];
      const pad = 3;
      for (const run of this.runs) {
        const spec = run.spec;
        if (!spec.label || !spec.label_at || run.moved !== null || this.step < run.committed.last) continue;
        const [vertical, across] = spec.label_position.split(" ");
        let size = this.look.label;
        ctx.font = `600 ${size}px ${FONT}`;
        const wide = ctx.measureText(spec.label).width;
        if (wide > a.width - 2 * pad) {
          size = Math.max(8, Math.floor(size * (a.width - 2 * pad) / wide));
          ctx.font = `600 ${size}px ${FONT}`;
        }
        const w = ctx.measureText(spec.label).width, h = 1.2 * size;
        const x = a.x(spec.label_at[0]) + (across === "left" ? -8 : across === "right" ? 8 : 0);
        const y = a.y(spec.label_at[1]) + (vertical === "bottom" ? 8 : -8);
        let left = across === "left" ? x - w : across === "right" ? x : x - w / 2;
        let top = vertical === "bottom" ? y : y - h;
        left = Math.max(a.left + pad, Math.min(left, a.left + a.width - pad - w));
        top = Math.max(a.top + pad, Math.min(top, a.top + a.height - pad - h));
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.lineWidth = 4;
        ctx.strokeStyle = HALO;
        ctx.setLineDash([]);
        ctx.strokeText(spec.label, left, top + h / 2);
        ctx.fillStyle = spec.text;
        ctx.fillText(spec.label, left, top + h / 2);
        this.labelBoxes.push({ text: spec.label, left, top, right: left + w, bottom: top + h });
      }
      ctx.restore();
    }

    // a data surface: each run's model curve at the current step, beside the map
    drawFits(ctx) {
      const a = this.axes(this.el.plot, "2"), grid = this.dataView.grid, g = grid.length;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.width, a.height);
      ctx.clip();
      for (const run of this.runs) {
        if (!run.fit || run.moved !== null) continue;
        const rows = run.fit.length / g, row = Math.min(this.step, rows - 1);
        ctx.strokeStyle = run.spec.color;
        ctx.lineWidth = this.look.path;
        ctx.setLineDash(dashPattern(run.spec.dash, this.look.path));
        ctx.beginPath();
        for (let i = 0; i < g; i++) {
          const v = run.fit[row * g + i];
          i ? ctx.lineTo(a.x(grid[i]), a.y(v)) : ctx.moveTo(a.x(grid[i]), a.y(v));
        }
        ctx.stroke();
      }
      ctx.restore();
    }

    drawCurves() {
      const canvas = this.el.curvesCanvas, ctx = canvas.getContext("2d");
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      const t = this.step, look = this.look;
      // a lesson's curves grow with the step (their ends are its question's answer); elsewhere
      // they are whole, the cursor on them
      const upTo = this.opensAtStart ? t : null;
      this.shownCurves().forEach((spec, c) => {
        const a = this.axes(this.el.curves, c ? String(c + 1) : "");
        const key = spec.key === "grad_norm" ? "grad" : spec.key;
        ctx.save();
        ctx.beginPath();
        ctx.rect(a.left, a.top, a.width, a.height);
        ctx.clip();
        ctx.lineJoin = "round";
        for (const run of this.runs) {
          if (spec.key === "gap" && run.batchGap && run.moved === null) {
            ctx.strokeStyle = run.spec.color;
            this.curve(ctx, a, run.committed, run.batchGap, 1, [], 0.35, false, upTo);
          }
        }
        for (const run of this.runs) {
          ctx.strokeStyle = run.spec.color;
          this.curve(ctx, a, run.track, run.track[key], look.curve, dashPattern(run.spec.dash, look.curve), 1, spec.key === "lr", upTo);
        }
        // the cursor at the current step, and each run's value there
        const cx = a.x(t);
        ctx.setLineDash([]);
        ctx.strokeStyle = look.cursor;
        ctx.lineWidth = look.cursorWidth;
        ctx.beginPath();
        ctx.moveTo(cx, a.top);
        ctx.lineTo(cx, a.top + a.height);
        ctx.stroke();
        for (const run of this.runs) {
          const track = run.track, p = track.count(t) - 1;
          const v = key === "lr" ? track.rate(p) : track[key][p];
          if (!Number.isFinite(v) || (a.ylog && v <= 0)) continue;
          ctx.beginPath();
          ctx.arc(a.x(track.stepOf(p)), a.y(v), look.marker, 0, 2 * Math.PI);
          ctx.fillStyle = run.spec.color;
          ctx.fill();
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = "white";
          ctx.stroke();
        }
        ctx.restore();
      });
    }

    // a run's series against the step (up to step ``upTo``, or all of it where null);
    // ``stairs``: the value holds from its step to the next
    curve(ctx, a, track, values, width, dash, alpha, stairs, upTo = null) {
      ctx.lineWidth = width;
      ctx.setLineDash(dash);
      ctx.globalAlpha = alpha;
      ctx.beginPath();
      const n = upTo === null ? track.points : Math.min(track.points, track.count(upTo)), stride = Math.max(1, Math.floor(n / (2 * a.width)));
      let pen = false, lastY = 0;
      for (let i = 0; i < n; i += (i + stride < n || i === n - 1) ? stride : n - 1 - i) {
        const v = stairs ? track.rate(i) : values[i];
        if (!Number.isFinite(v) || (a.ylog && v <= 0)) { pen = false; if (i === n - 1) break; continue; }
        const px = a.x(track.stepOf(i)), py = a.y(v);
        if (!pen) { ctx.moveTo(px, py); pen = true; } else {
          if (stairs) ctx.lineTo(px, lastY);
          ctx.lineTo(px, py);
        }
        lastY = py;
        if (i === n - 1) break;
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    }

    // --- the map under the mouse: a click or a drag moves the start --------------------------

    dataAt(event) {
      const plot = this.el.plot, L = plot._fullLayout;
      if (!L) return null;
      const xa = L.xaxis, ya = L.yaxis, box = plot.getBoundingClientRect();
      const px = event.clientX - box.left - xa._offset, py = event.clientY - box.top - ya._offset;
      if (px < 0 || py < 0 || px > xa._length || py > ya._length) return null;
      return { x: xa.p2c(px), y: ya.p2c(py), px: px + xa._offset, py: py + ya._offset };
    }

    pointer() {
      const box = this.el.mapBox;
      let dragging = false;
      box.addEventListener("pointermove", (event) => {
        const at = this.dataAt(event);
        const hint = this.el.hint;
        if (!at || !this.manifest) { hint.style.display = "none"; return; }
        hint.style.display = "block";
        hint.style.left = (at.px + 14) + "px";
        hint.style.top = (at.py + 10) + "px";
        const why = this.clickNote ? "  ·  " + this.clickNote : "";  // why no click (a teacher's link)
        hint.textContent = `x = ${at.x.toFixed(3)}, y = ${at.y.toFixed(3)}` + (this.manifest.clickable ? "  ·  click: start here" : why);
        if (dragging) { this.pendingStart = [at.x, at.y]; this.drawPaths(); }
      });
      box.addEventListener("pointerleave", () => { this.el.hint.style.display = "none"; });
      box.addEventListener("pointerdown", (event) => {
        if (!this.manifest || !this.manifest.clickable || event.button !== 0) return;
        const at = this.dataAt(event);
        if (!at) return;
        dragging = true;
        box.setPointerCapture(event.pointerId);
        this.pendingStart = [at.x, at.y];
        this.drawPaths();
      });
      box.addEventListener("pointerup", (event) => {
        if (!dragging) return;
        dragging = false;
        const at = this.dataAt(event);
        const start = at ? [at.x, at.y] : this.pendingStart;
        this.pendingStart = start;
        this.fading = true;
        this.clicks += 1;
        this.drawPaths();
        this.send({ kind: "click", x: start[0], y: start[1], seq: this.clicks, figure: this.id });
      });
    }

    // --- what tests and the benchmark read --------------------------------------------------

    // the arrows as drawn at the current step (each run's vectors in map units, before the
    // drawing's common factor ``scale``), for tests
    arrowState() {
      const runs = (this.runs || []).map((run) => {
        const d = this.showArrows && this.manifest && this.manifest.arrows && this.manifest.arrows.length
          ? this.arrowsAt(run) : null;
        return d && { name: run.spec.name, point: d.point, at: d.at, ...d.vectors };
      });
      return { shown: this.showArrows, scale: this.arrowScale, drawn: runs.filter(Boolean).length, runs };
    }

    // the map's plot (its axes' box) in the frame's pixels, for tests
    plotArea() {
      if (!this.el.plot._fullLayout) return null;
      const { left, top, width, height } = this.axes(this.el.plot, "");
      return { left, top, right: left + width, bottom: top + height };
    }

    state() {
      const t = this.step, runs = this.runs || [];
      const lines = [];
      const line = (name, xy, n) => {
        const x = [], y = [];
        for (let i = 0; i < n; i++) { x.push(xy[2 * i]); y.push(xy[2 * i + 1]); }
        lines.push({ name, x, y });
        return lines[lines.length - 1];
      };
      const drawn = runs.map((run) => {
        const track = run.track, n = track.count(t);
        const { x, y } = line(run.spec.name, track.xy, n);
        if (run.moved === null) {
          run.band.forEach((band, k) => line(`${run.spec.name}: seed +${k + 1}`, band, band.length / 2));
          if (run.reference) line(`${run.spec.name}: full batch`, run.reference, run.reference.length / 2);
          if (run.averaged) line(`${run.spec.name}: ${run.spec.averaged_title}`, run.averaged, run.averaged.length / 2);
          if (run.evaluated) line(`${run.spec.name}: f evaluated here`, run.evaluated, run.evaluated.length / 2);
        }
        const values = {};
        run.sliders.forEach((s) => { values[s.spec.name] = s.values[s.index]; });
        const labelled = run.spec.label && run.spec.label_at && run.moved === null && t >= run.committed.last;
        return {
          name: run.spec.name, color: run.spec.color, ended: track.ended, status: statusAt(track.status, t), x, y, points: n,
          shownStep: track.stepOf(n - 1), committed: run.moved === null, values,
          label: labelled ? run.spec.label : "",
        };
      });
      return { id: this.id, step: t, steps: this.steps, playing: this.playing, speed: this.speed,
        presenting: this.presenting, answerShown: this.answerShown, look: this.look, shownCurves: this.shownCurves().length,
        fading: this.fading, runs: drawn, lines, reported: this.reported,
        stepReports: this.stepReports, arrows: this.arrowState(),
        labels: this.labelBoxes || [], plotArea: this.plotArea() };
    }
  }

  window.DescentLabPlayer = Player;
})();
