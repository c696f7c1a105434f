// In-browser calculators for the published (static, offline) handbook.
//
// Pages with a <div class="hb-calc" data-calc="…" data-context="…"> form get a live tool: this module
// loads Pyodide (served by this site from _static/vendor/pyodide), unpacks the project's own wheel
// (_static/app/*.whl, built during the book build) and calls calculators.frontends.browser_call on every
// input change. No rule lives here: the Python package computes and renders; this file only moves text.
// Until the runtime is ready, the page keeps the worked example computed at build time.

const boxes = Array.from(document.querySelectorAll(".hb-calc"));
const base = new URL(".", import.meta.url); // the site's _static/ folder
// Timings (ms since navigation start) for the benchmark and the browser tests.
window.hbCalculators = { state: boxes.length ? "loading" : "none", firstResultMs: null, lastComputeMs: null, marks: {} };
const mark = (name) => { window.hbCalculators.marks[name] = Math.round(performance.now()); };

function setStatus(text, state) {
  for (const box of boxes) {
    box.querySelector(".hb-status").textContent = text;
    box.dataset.state = state;
  }
  window.hbCalculators.state = state;
}

function attach(box, call, profileJson) {
  const form = box.querySelector("form");
  const result = box.querySelector(".hb-result");
  const errors = Object.fromEntries(Array.from(box.querySelectorAll(".hb-error")).map((e) => [e.dataset.for, e]));
  const run = () => {
    const started = performance.now();
    const inputs = Object.fromEntries(new FormData(form).entries());
    let out;
    try {
      out = JSON.parse(call(box.dataset.calc, JSON.stringify(inputs), profileJson));
    } catch (error) {
      // Not an input error the calculators know: show it rather than leave old figures on screen.
      out = { ok: false, field: Object.keys(errors)[0], message: "计算出错：" + String(error).split("\n").slice(-2).join(" ") };
    }
    for (const span of Object.values(errors)) span.textContent = "";
    for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
    if (out.ok) {
      result.innerHTML = out.html;
      result.classList.remove("hb-stale");
    } else {
      (errors[out.field] || Object.values(errors)[0]).textContent = out.message;
      form.elements[out.field]?.setAttribute("aria-invalid", "true");
      result.innerHTML = "<p><i>请先更正上面标红的输入。</i></p>";
    }
    const elapsed = performance.now() - started;
    window.hbCalculators.lastComputeMs = elapsed;
    box.dataset.computed = String(Number(box.dataset.computed || 0) + 1);
    if (window.hbCalculators.firstResultMs === null) window.hbCalculators.firstResultMs = performance.now();
  };
  form.addEventListener("input", run);
  form.addEventListener("change", run);
  run();
}

async function boot() {
  setStatus("正在加载浏览器计算引擎（首次约 13 MB，之后由浏览器缓存）……下面暂为构建时算出的示例。", "loading");
  try {
    mark("boot");
    // The app (manifest, wheel) downloads while the runtime compiles.
    const fetchOk = (path) => fetch(new URL(path, base)).then((r) => {
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return r;
    });
    const app = fetchOk("app/manifest.json")
      .then((r) => r.json())
      .then(async (manifest) => [manifest, await fetchOk("app/" + manifest.wheel).then((r) => r.arrayBuffer())]);
    app.catch(() => {}); // reported below when awaited; avoids an "unhandled rejection" while the runtime loads
    const { loadPyodide } = await import(new URL("vendor/pyodide/pyodide.mjs", base).href);
    const pyodide = await loadPyodide({ indexURL: new URL("vendor/pyodide/", base).href, stdout: () => {}, stderr: () => {} });
    mark("runtime");
    const [manifest, wheel] = await app;
    pyodide.unpackArchive(wheel, "wheel");
    const call = pyodide.runPython("from calculators.frontends import browser_call\nbrowser_call");
    mark("package");
    for (const box of boxes) attach(box, call, JSON.stringify(manifest.contexts[box.dataset.context]));
    setStatus("浏览器计算引擎已就绪：修改任一输入即实时重算（在本机浏览器中完成，不联网）。", "ready");
  } catch (error) {
    setStatus("浏览器计算引擎加载失败（" + error + "）。下面仍是构建时算出的示例；交互计算请使用交互版。", "failed");
  }
}

if (boxes.length) boot();
