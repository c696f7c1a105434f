// In-browser calculators for the published (static, offline) handbook.
//
// Pages with a <div class="hb-calc" data-calc="…" data-context="…"> form get a live tool: this module
// loads Pyodide (served by this site from _static/vendor/pyodide), unpacks the project's own wheel
// (_static/app/*.whl, built during the book build) and calls calculators.frontends.browser_call when
// typing pauses or a choice changes. No rule lives here: the Python package computes and renders; this file only moves text.
// Until the runtime is ready, the page keeps the worked example computed at build time.

const boxes = Array.from(document.querySelectorAll(".hb-calc"));
// Exercise pages (book/_static/practice.js) use the same runtime: it is published as window.hbRuntime.
const wanted = boxes.length > 0 || document.querySelector(".hb-exercise") !== null;
const base = new URL(".", import.meta.url); // the site's _static/ folder
// Timings (ms since navigation start) for the benchmark and the browser tests.
// snapshot: how this page started Python (null: started it; "restored"; "kept: …" once it kept its copy; see below).
window.hbCalculators = { state: wanted ? "loading" : "none", firstResultMs: null, lastComputeMs: null, marks: {}, snapshot: null };
const mark = (name) => { window.hbCalculators.marks[name] = Math.round(performance.now()); };

function setStatus(text, state) {
  for (const box of boxes) {
    box.querySelector(".hb-status").textContent = text;
    box.dataset.state = state;
  }
  window.hbCalculators.state = state;
}

// Typing recomputes when it pauses (DEBOUNCE_MS), so a long text is not re-run on every keystroke, nor a date typed
// digit by digit into a date picker (each digit would show a half-typed date's error); a choice from a list, or Enter,
// recomputes at once.
const DEBOUNCE_MS = 300;
// Sent for a date picker holding a day the browser cannot read (incomplete, or 02/30): its value is empty then, which
// would read as "not filled in" (calculators/ui/views.py, UNREADABLE_DATE).
const UNREADABLE_DATE = "unreadable-date";

function attach(box, call, profileJson) {
  const form = box.querySelector("form");
  const result = box.querySelector(".hb-result");
  const byField = (selector) => Object.fromEntries(Array.from(box.querySelectorAll(selector)).map((e) => [e.dataset.for, e]));
  const errors = byField(".hb-error");
  const warnings = byField(".hb-warning");
  let timer = null;
  const run = () => {
    clearTimeout(timer);
    timer = null;
    const started = performance.now();
    const inputs = Object.fromEntries(new FormData(form).entries());
    for (const field of form.querySelectorAll("input[type=date]")) if (field.validity.badInput) inputs[field.name] = UNREADABLE_DATE;
    let out;
    try {
      out = JSON.parse(call(box.dataset.calc, JSON.stringify(inputs), profileJson));
    } catch (error) {
      // Not an input error the calculators know: show it rather than leave old figures on screen.
      out = { ok: false, field: Object.keys(errors)[0], message: "计算出错：" + String(error).split("\n").slice(-2).join(" ") };
    }
    for (const span of Object.values(errors)) span.textContent = "";
    for (const span of Object.values(warnings)) span.textContent = "";
    for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
    if (out.ok) {
      result.innerHTML = out.html;
      result.classList.remove("hb-stale");
      // A page printed now shows the inputs these figures come from (print.css), not the build's example text.
      const typed = [];
      for (const field of form.elements) {
        if (!field.name || field.type === "hidden") continue;
        const label = (form.querySelector(`label[for="${field.id}"]`)?.textContent || field.name).split("（每行")[0].trim();
        const value = field.tagName === "SELECT" ? (field.selectedOptions[0]?.textContent || "") : field.value.trim();
        typed.push(`${label}：${value.replace(/\s*\n\s*/g, "；") || "（空）"}`);
      }
      box.dataset.printInputs = typed.join("　");
      box.dataset.printed = "result";
      for (const [field, message] of out.warnings || []) if (warnings[field]) warnings[field].textContent = message;
    } else {
      (errors[out.field] || Object.values(errors)[0]).textContent = out.message;
      form.elements[out.field]?.setAttribute("aria-invalid", "true");
      result.innerHTML = "<p><i>请先更正上面标红的输入。</i></p>";
      box.dataset.printed = "error";
    }
    const elapsed = performance.now() - started;
    window.hbCalculators.lastComputeMs = elapsed;
    box.dataset.pending = "0";
    box.dataset.computed = String(Number(box.dataset.computed || 0) + 1);
    if (window.hbCalculators.firstResultMs === null) window.hbCalculators.firstResultMs = performance.now();
  };
  const schedule = (delay) => {
    clearTimeout(timer);
    box.dataset.pending = "1";
    timer = setTimeout(run, delay);
  };
  // A preset (an <option data-fill>) writes the values it sets into their fields and locks them: what is
  // shown is what is computed. Choosing "no preset" unlocks them, keeping the values.
  const applyPreset = (select) => {
    const option = select.selectedOptions[0];
    const fill = option && option.dataset.fill ? JSON.parse(option.dataset.fill) : null;
    for (const name of select.dataset.fills ? select.dataset.fills.split(" ") : []) {
      const field = form.elements[name];
      if (!field) continue;
      if (fill && name in fill) field.value = fill[name];
      field.readOnly = Boolean(fill);
      if (fill) field.setAttribute("aria-readonly", "true");
      else field.removeAttribute("aria-readonly");
    }
  };
  for (const select of form.querySelectorAll("select")) {
    const names = new Set();
    for (const option of select.options) if (option.dataset.fill) Object.keys(JSON.parse(option.dataset.fill)).forEach((n) => names.add(n));
    select.dataset.fills = Array.from(names).join(" ");
    applyPreset(select);
  }
  // While a Chinese input method is composing ("yuan" on its way to 元), the field holds pinyin: nothing is computed
  // until the composition ends (no error flashes for "10000yuan", no alert is announced).
  let composing = false;
  form.addEventListener("compositionstart", () => {
    composing = true;
    clearTimeout(timer);
    box.dataset.pending = "0";
  });
  form.addEventListener("compositionend", () => {
    composing = false;
    schedule(DEBOUNCE_MS);
  });
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "SELECT") return; // handled by "change"
    if (composing || event.isComposing) return; // (compositionend schedules)
    schedule(DEBOUNCE_MS);
  });
  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT") {
      applyPreset(event.target);
      schedule(0);
    }
  });
  form.addEventListener("keydown", (event) => {
    // (an Enter that picks an input method's candidate is not the reader's Enter)
    if (event.key === "Enter" && event.target.tagName === "INPUT" && !event.isComposing && event.keyCode !== 229) schedule(0);
  });
  // A date picker whose typed day cannot be read fires no "input" while its value stays empty (an empty optional
  // date typed as 02/30): a typed key there recomputes on the pause too, so the day is named, never silently dropped.
  form.addEventListener("keyup", (event) => {
    if (event.target.type === "date" && event.key !== "Enter" && event.target.validity.badInput) schedule(DEBOUNCE_MS);
  });
  run();
}

// Memory snapshot (Pyodide's `_makeSnapshot` / `makeMemorySnapshot` / `_loadSnapshot`): the first calculator page
// a reader opens starts Python as usual, imports the package, and after its first result keeps a copy of the
// interpreter's memory in this browser (Cache Storage, never sent anywhere). Later pages restore that copy instead of
// starting Python and importing the package again, which is most of the start-up time. The copy is keyed by the
// Pyodide version and a hash of the wheel, so a new build or runtime never restores an old interpreter; any failure
// falls back to the ordinary start. Without Cache Storage (a plain-http intranet address) every page starts afresh.
const SNAPSHOT_CACHE = "hb-snapshot";

function fnv1a(bytes) {
  // 32-bit FNV-1a of the wheel: enough to tell builds apart (the key also carries the wheel's name and size).
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

// The kept copy is read at once, while the loader and the wheel are fetched; its key is checked once the wheel is hashed.
async function readSnapshot() {
  if (!globalThis.caches) return null;
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const [request] = await cache.keys();
    const hit = request && (await cache.match(request));
    return hit ? { key: request.url, bytes: new Uint8Array(await hit.arrayBuffer()) } : null;
  } catch (error) {
    return null;
  }
}

async function keepSnapshot(pyodide, key) {
  if (!globalThis.caches) return;
  try {
    const started = performance.now();
    const bytes = pyodide.makeMemorySnapshot();
    const copied = performance.now() - started;
    const cache = await caches.open(SNAPSHOT_CACHE);
    for (const old of await cache.keys()) await cache.delete(old); // one interpreter copy per site
    await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
    window.hbCalculators.snapshot = `kept: ${(bytes.length / 1e6).toFixed(1)} MB, copied in ${Math.round(copied)} ms`;
  } catch (error) {
    window.hbCalculators.snapshot = "not kept: " + String(error).split("\n")[0];
  }
}

async function startPython(loadPyodide, wheel, key, kept) {
  const options = { indexURL: new URL("vendor/pyodide/", base).href, stdout: () => {}, stderr: () => {} };
  const found = await kept;
  const snapshot = found && found.key === key ? found.bytes : null;
  mark("snapshotRead");
  if (snapshot) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
      mark("runtime");
      pyodide.unpackArchive(wheel, "wheel"); // the package's files, for anything imported later
      mark("unpacked");
      window.hbCalculators.snapshot = "restored";
      return { pyodide, restored: true };
    } catch (error) {
      window.hbCalculators.snapshot = "restore failed: " + String(error).split("\n")[0];
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(globalThis.caches) });
  mark("runtime");
  pyodide.unpackArchive(wheel, "wheel");
  mark("unpacked");
  return { pyodide, restored: false };
}

async function boot() {
  setStatus("正在加载浏览器计算引擎（首次约 13 MB，之后由浏览器缓存）……下面暂为构建时算出的示例。", "loading");
  try {
    mark("boot");
    // The app (manifest, wheel) downloads while the runtime's loader is fetched.
    const fetchOk = (path) => fetch(new URL(path, base)).then((r) => {
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return r;
    });
    const app = fetchOk("app/manifest.json")
      .then((r) => r.json())
      .then(async (manifest) => [manifest, new Uint8Array(await fetchOk("app/" + manifest.wheel).then((r) => r.arrayBuffer()))]);
    app.catch(() => {}); // reported below when awaited; avoids an "unhandled rejection" while the runtime loads
    const kept = readSnapshot();
    const { loadPyodide, version } = await import(new URL("vendor/pyodide/pyodide.mjs", base).href);
    const [manifest, wheel] = await app;
    mark("fetched");
    const key = new URL(`app/snapshot/${version}/${manifest.wheel}/${wheel.length}-${fnv1a(wheel)}`, base).href;
    const { pyodide, restored } = await startPython(loadPyodide, wheel, key, kept);
    const call = pyodide.runPython("from calculators.frontends import browser_call\nbrowser_call");
    mark("package");
    for (const box of boxes) attach(box, call, JSON.stringify(manifest.contexts[box.dataset.context]));
    mark("first");
    window.hbRuntime = { call, manifest };
    document.dispatchEvent(new CustomEvent("hb-runtime-ready"));
    setStatus("浏览器计算引擎已就绪：修改任一输入，停顿片刻即自动重算（在本机浏览器中完成，不联网）。", "ready");
    if (!restored && globalThis.caches) setTimeout(() => keepSnapshot(pyodide, key), 0);
  } catch (error) {
    setStatus("浏览器计算引擎加载失败（" + error + "）。下面仍是构建时算出的示例；交互计算请使用交互版。", "failed");
    document.dispatchEvent(new CustomEvent("hb-runtime-failed", { detail: String(error) }));
  }
}

if (wanted) boot();
