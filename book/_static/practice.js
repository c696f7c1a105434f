// Answerable exercises on the published (static, offline) handbook.
//
// Each <div class="hb-exercise" data-key="…"> holds an answer form built at book build time
// (procedures/practice.py). Once the in-browser runtime is ready (book/_static/calculators.js publishes
// window.hbRuntime), 提交 (or Enter) sends the key and the answer to the project's own Python, the
// "exercise" tool of calculators.frontends (calculators/ui/practice.py): no grading rule lives here.
// Results stay in this browser (localStorage, key STORE); nothing is sent anywhere. A trainee can
// export them as a JSON file for the trainer (python -m procedures.practice summary FILES...).

const STORE = "hb-practice-v1";
const FORMAT = "hb-practice/1";
// A spot exercise "x" also has a rewrite box (data-mode="rewrite", exercise id "x:rewrite"): a rewritten line,
// checked by the red-line linter (calculators.ui.practice.check_rewrite).
const exercises = Array.from(document.querySelectorAll(".hb-exercise[data-exercise-box]"));
const questions = exercises.filter((box) => box.dataset.mode !== "rewrite");
// Case role-plays (procedures/roleplay.py): one .hb-roleplay holds the case key; its steps are .hb-step boxes.
const roleplay = document.querySelector(".hb-roleplay");
const steps = Array.from(document.querySelectorAll(".hb-step[data-step-box]"));
window.hbPractice = { ready: false, lastFeedbackMs: null };

function load() {
  try {
    const data = JSON.parse(localStorage.getItem(STORE) || "{}");
    return data && typeof data === "object" && data.results ? data : { results: {} };
  } catch (error) {
    return { results: {} };
  }
}

function record(id, answer, verdict) {
  const data = load();
  const entry = data.results[id] || (data.results[id] = { attempts: [] });
  entry.attempts.push({ answer, verdict, at: new Date().toISOString() });
  try {
    localStorage.setItem(STORE, JSON.stringify(data));
  } catch (error) {
    // Storage full or disabled: the feedback still shows; only the record is not kept.
  }
  renderProgress();
}

function typedAnswer(box) {
  const inputs = Array.from(box.querySelectorAll("[data-exercise]"));
  if (inputs.length === 1 && inputs[0].type === "text") return inputs[0].value;
  return inputs.filter((input) => input.checked).map((input) => input.value).join(",");
}

// grade(answer) -> {ok, html, summary} or {ok: false, field, message}: the package's Python, through the runtime.
function attach(box, id, grade, onGraded) {
  const verdict = box.querySelector(`[data-verdict-for="${CSS.escape(id)}"]`);
  const error = box.querySelector(".hb-error");
  const submit = () => {
    const started = performance.now();
    const answer = typedAnswer(box);
    let out;
    try {
      out = grade(answer);
    } catch (failure) {
      out = { ok: false, field: "answer", message: "检查出错：" + String(failure).split("\n").slice(-2).join(" ") };
    }
    for (const input of box.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    if (out.ok) {
      error.textContent = "";
      verdict.innerHTML = out.html;
      verdict.dataset.verdict = out.summary.verdict;
      // Kept after the verdict is painted: a storage write never delays the feedback.
      const { answer: shown, verdict: result } = out.summary;
      setTimeout(() => record(id, shown, result), 0);
      if (onGraded) onGraded(answer);
    } else {
      error.textContent = out.message;
      verdict.dataset.verdict = "";
      verdict.innerHTML = "";
      for (const input of box.querySelectorAll("[data-exercise]")) input.setAttribute("aria-invalid", "true");
    }
    box.dataset.checked = String(Number(box.dataset.checked || 0) + 1);
    window.hbPractice.lastFeedbackMs = performance.now() - started;
  };
  box.querySelector("[data-exercise-submit]").addEventListener("click", submit);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("input[data-exercise]")) {
      event.preventDefault();
      submit();
    }
  });
  verdict.innerHTML = "<p class=\"hb-status\">作答后按“提交”（或回车）检查；可以反复修改再提交。</p>";
  verdict.dataset.verdict = ""; // answerable, not answered yet (the page's HTML leaves the empty attribute out)
  box.dataset.state = "ready";
}

function exportResults() {
  const data = load();
  const file = { format: FORMAT, exported: new Date().toISOString(), results: data.results };
  const blob = new Blob([JSON.stringify(file, null, 1)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "练习记录.json";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function renderProgress() {
  const results = load().results;
  const here = questions.map((box) => box.dataset.exerciseBox);
  const done = here.filter((id) => results[id] && results[id].attempts.some((a) => a.verdict === "correct")).length;
  const total = Object.keys(results).length;
  for (const count of document.querySelectorAll("[data-hb-progress] .hb-progress-count")) {
    count.textContent = `本页 ${here.length} 题，已答对 ${done} 题；本浏览器中共有 ${total} 道练习的作答记录。`;
  }
}

function setupProgress() {
  for (const bar of document.querySelectorAll("[data-hb-progress]")) {
    bar.innerHTML =
      "<p>你的作答记录只保存在本浏览器中（localStorage），不会发送到任何地方。</p>" +
      "<p class=\"hb-progress-count\"></p>" +
      "<button type=\"button\" data-practice-export>导出我的练习记录（JSON 文件）</button> " +
      "<button type=\"button\" data-practice-clear>清除本浏览器中的记录</button>";
    bar.querySelector("[data-practice-export]").addEventListener("click", exportResults);
    bar.querySelector("[data-practice-clear]").addEventListener("click", () => {
      if (confirm("确定清除本浏览器中的全部练习记录吗？清除后无法恢复。")) {
        localStorage.removeItem(STORE);
        renderProgress();
      }
    });
  }
  renderProgress();
}

// The case's id (data-case) and title (the page's h1), a step's title (its heading), model answer and rule (its folded answer: "参考做法：…", "规则：…") and options' notes
// are not in the page's key (procedures.roleplay.PAGE_SHOWN): they are taken back from the page, as the feedback and
// the debrief quote them.
function caseKey() {
  const key = { id: roleplay.dataset.case, title: "", ...JSON.parse(roleplay.dataset.key) };
  const h1 = document.querySelector("h1");
  if (h1) { // "案例演练：title"
    const text = h1.cloneNode(true);
    for (const link of text.querySelectorAll(".headerlink")) link.remove();
    key.title = text.textContent.slice(text.textContent.indexOf("：") + 1).trim();
  }
  const fields = { "参考做法": "model", "规则": "rule" };
  for (const step of key.steps) {
    const box = steps.find((b) => b.dataset.stepBox === step.id);
    // The step's title is its heading "第 n 步·阶段：title".
    let heading = box && box.previousElementSibling;
    while (heading && !heading.matches("h1, h2, h3, h4, .rubric")) heading = heading.previousElementSibling;
    if (heading && step.title === undefined) {
      const text = heading.cloneNode(true);
      for (const link of text.querySelectorAll(".headerlink")) link.remove();
      step.title = text.textContent.slice(text.textContent.indexOf("：") + 1).trim();
    }
    if (box && step.correct !== undefined) { // a choose step: its options are the form's radio buttons
      step.options = {};
      for (const radio of box.querySelectorAll("input[type=radio]")) step.options[radio.value] = { ok: radio.value === step.correct };
      delete step.correct;
    }
    const answer = box && box.nextElementSibling;
    if (!answer || !answer.matches(".admonition, details")) continue;
    for (const p of answer.querySelectorAll("p")) {
      const label = p.firstElementChild;
      const field = label && label.matches("strong") && p.firstChild === label && fields[label.textContent];
      if (field && step[field] === undefined) step[field] = p.textContent.slice(label.textContent.length).replace(/^：/, "").trim();
    }
    // An option's note (why it is wrong) is its line in the folded answer: "B（✘）：…". A choose step's model answer
    // is its ✔ option: the option's text (the list above the form: "B．…") and its reason.
    for (const li of answer.querySelectorAll("li")) {
      const letter = li.querySelector("strong");
      const option = letter && step.options && step.options[letter.textContent];
      if (option && option.notes === undefined) {
        const why = li.textContent.slice(li.textContent.indexOf("：") + 1).trim();
        option.notes = option.ok ? [] : [why];
        if (option.ok && step.model === undefined) step.model = `${optionText(box, letter.textContent)}（${why}）`;
      }
    }
  }
  return JSON.stringify(key);
}

// The text of option `letter` in the list before a step's form: "<strong>B</strong>．text".
function optionText(box, letter) {
  let list = box.previousElementSibling;
  while (list && !list.matches("ul, ol")) list = list.previousElementSibling;
  for (const li of list ? list.querySelectorAll("li") : []) {
    const strong = li.querySelector("strong");
    if (strong && strong.textContent === letter) return li.textContent.slice(li.textContent.indexOf("．") + 1).trim();
  }
  return "";
}

function startRoleplay(call, manifest) {
  const key = caseKey();
  window.hbPractice.caseKey = JSON.parse(key); // what the grader gets (tests compare it with the build's key)
  for (const status of roleplay.querySelectorAll(".hb-status")) status.remove();
  const context = JSON.stringify({ terms: manifest.contexts.terms, redlines: manifest.contexts.redlines });
  const given = {}; // step id -> the answer as typed: the debrief grades them again
  const ask = (step, answer) => JSON.parse(call("roleplay", JSON.stringify({ key, step, answer }), context));
  for (const box of steps) {
    const id = box.dataset.stepBox;
    attach(box, id, (answer) => ask(id, answer), (answer) => { given[id] = answer; });
  }
  ask("debrief", "{}"); // parses the profile and the red lines once now, not on the trainee's first 提交
  const button = document.querySelector("[data-debrief-submit]");
  const target = document.querySelector(`[data-debrief-for="${CSS.escape(roleplay.dataset.case)}"]`);
  if (button && target) {
    button.addEventListener("click", () => {
      const out = ask("debrief", JSON.stringify(given));
      target.innerHTML = out.ok ? out.html : "<p>" + out.message + "</p>";
      target.dataset.done = String(Number(target.dataset.done || 0) + 1);
    });
  }
}

// The folded answer after an exercise's boxes (built from the same calculators and checkers): the page does not
// carry the worked solution twice, so the grader gets it from here (procedures.practice.page_key).
function staticAnswer(box) {
  let next = box.nextElementSibling;
  while (next && next.matches(".hb-exercise")) next = next.nextElementSibling;
  if (!next || !next.matches(".admonition, details")) return "";
  const copy = next.cloneNode(true);
  for (const title of copy.querySelectorAll(".admonition-title, summary")) title.remove();
  return copy.innerHTML.trim();
}

function start() {
  const { call, manifest } = window.hbRuntime;
  const redlines = JSON.stringify(manifest.contexts.redlines);
  const keys = {};
  for (const box of questions) {
    keys[box.dataset.exerciseBox] = JSON.stringify({ ...JSON.parse(box.dataset.key), solution: staticAnswer(box) });
  }
  // Parse the red-line rules and load the linter's model once now (an unanswered check), not on the first 提交.
  const spot = questions.find((box) => box.dataset.key.includes('"kind":"spot"'));
  const warm = spot || questions[0];
  if (warm) call("exercise", JSON.stringify({ key: keys[warm.dataset.exerciseBox], answer: "您好，请按时还款。", mode: spot ? "rewrite" : "" }), redlines);
  for (const box of exercises) {
    const rewrite = box.dataset.mode === "rewrite";
    const key = keys[rewrite ? box.dataset.keyOf : box.dataset.exerciseBox];
    attach(box, box.dataset.exerciseBox, (answer) =>
      JSON.parse(call("exercise", JSON.stringify({ key, answer, mode: rewrite ? "rewrite" : "" }), redlines)));
  }
  if (roleplay) startRoleplay(call, manifest);
  setupProgress();
  window.hbPractice.ready = true;
}

if (exercises.length || roleplay) {
  if (window.hbRuntime) start();
  else document.addEventListener("hb-runtime-ready", start, { once: true });
  document.addEventListener("hb-runtime-failed", () => {
    for (const box of [...exercises, ...steps]) {
      box.querySelector(".hb-verdict").innerHTML =
        "<p class=\"hb-status\">浏览器计算引擎加载失败，无法自动检查；请展开下方的“答案与解析”自行核对。</p>";
    }
  }, { once: true });
}
