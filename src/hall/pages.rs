//! The hall service's pages, each one file with no assets to fetch. All
//! text is set with textContent: nothing received is read as HTML.

/// The kiosk (the queue machine's touch screen): a button per group, an
/// optional ID number for the green channel, the ticket shown once taken.
pub const KIOSK: &str = r##"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>自助取号 Take a ticket</title>
<style>
  :root { --brand: #00706b; --ink: #1d2b2a; --soft: #5b6b6a; --bg: #f3f7f6; --warn: #b3261e; --green: #2e7d32; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
         background: var(--bg); color: var(--ink); min-height: 100vh; display: flex; flex-direction: column; }
  header { background: var(--brand); color: #fff; padding: 20px 32px; font-size: 30px; font-weight: 700; }
  header small { display: block; font-size: 18px; font-weight: 400; opacity: .85; }
  main { flex: 1; padding: 28px 32px; display: grid; gap: 24px; align-content: start; max-width: 1100px; width: 100%; margin: 0 auto; }
  h1 { margin: 0; font-size: 28px; }
  .groups { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 20px; }
  .groups button { font: inherit; text-align: left; padding: 28px 26px; border-radius: 16px; border: 0; background: #fff;
                   box-shadow: 0 2px 12px rgba(0,0,0,.08); cursor: pointer; }
  .groups button .name { display: block; font-size: 32px; font-weight: 800; color: var(--brand); }
  .groups button .en { display: block; font-size: 18px; color: var(--soft); margin-top: 4px; }
  .groups button .waiting { display: block; font-size: 20px; margin-top: 12px; }
  .id { background: #fff; border-radius: 16px; padding: 20px 26px; font-size: 20px; }
  .id input { font: inherit; font-size: 26px; padding: 10px 14px; width: min(480px, 100%); border: 2px solid #c7d6d3; border-radius: 10px; letter-spacing: 1px; }
  .id p { margin: 8px 0 0; color: var(--soft); font-size: 17px; }
  #ticket { background: #fff; border-radius: 18px; padding: 30px; text-align: center; box-shadow: 0 2px 16px rgba(0,0,0,.1); }
  #ticket .number { font-size: 96px; font-weight: 900; color: var(--brand); letter-spacing: 4px; }
  #ticket .green { color: var(--green); font-size: 24px; font-weight: 700; }
  #ticket .line { font-size: 24px; margin: 6px 0; }
  #problem { background: #fdecea; color: var(--warn); border-radius: 12px; padding: 16px 20px; font-size: 22px; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header><span id="hall"></span><small>自助取号 · Take a ticket</small></header>
<main>
  <div id="problem" role="alert" hidden></div>
  <section id="ticket" aria-live="polite" hidden></section>
  <h1>请选择要办理的业务 · Choose your business</h1>
  <div class="groups" id="groups"></div>
  <div class="id">
    <label for="idno">身份证号码（可不填）· ID number (optional)</label><br>
    <input id="idno" inputmode="numeric" autocomplete="off" maxlength="20">
    <p>年满 70 周岁等客户填写后自动进入绿色通道，号码不留存。 Customers aged 70 or over go into the green channel; the number is not kept.</p>
  </div>
</main>
<script>
"use strict";
const base = location.pathname.replace(/\/$/, "");
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
let hideTimer = null;
async function load() {
  const r = await fetch(base + "/groups", {cache: "no-store"});
  if (!r.ok) return;
  const s = await r.json();
  $("hall").textContent = s.hall;
  const box = $("groups");
  box.replaceChildren();
  for (const g of s.groups) {
    const b = el("button");
    b.dataset.group = g.code;
    b.append(el("span", "name", g.code + " · " + g.name), el("span", "en", g.name_en),
             el("span", "waiting", "等候 " + g.waiting + " 人 · " + g.waiting + " waiting"));
    b.addEventListener("click", () => take(g.code));
    box.append(b);
  }
}
async function take(code) {
  $("problem").hidden = true;
  const idno = $("idno").value.trim();
  let r;
  try {
    r = await fetch(base + "/ticket", {method: "POST", headers: {"content-type": "application/json"},
                    body: JSON.stringify({group: code, id_number: idno || null})});
  } catch (e) {
    show_problem("取号机暂时连不上，请到引导台请工作人员帮助。 The machine cannot reach the queue; please ask at the guidance desk.");
    return;
  }
  const a = await r.json().catch(() => ({}));
  if (!r.ok) { show_problem((a.message || "") + " " + (a.message_en || "")); return; }
  $("idno").value = "";
  const t = $("ticket");
  t.replaceChildren(el("div", "line", "您的号码 · Your number"), el("div", "number", a.ticket));
  if (a.green) t.append(el("div", "green", "绿色通道 · Green channel"));
  t.append(el("div", "line", a.group_name + " · " + a.group_name_en),
           el("div", "line", "前面等候 " + a.ahead + " 人 · " + a.ahead + " ahead"),
           el("div", "line", "预计等候约 " + a.wait_minutes + " 分钟 · about " + a.wait_minutes + " min"),
           el("div", "line", a.time + " · " + (a.printed ? "请取走凭条 · Take your slip" : (a.print_problem ? "凭条未能打印，请记下号码 · Note your number" : "请记下号码 · Note your number"))));
  t.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { t.hidden = true; }, 20000);
  load();
}
function show_problem(text) { const p = $("problem"); p.textContent = text; p.hidden = false; }
load();
setInterval(load, 15000);
</script>
</body>
</html>
"##;

/// The hall's big screen: the numbers called with their windows, the last
/// few, the waiting per group; each call spoken once, in order, never one
/// cutting off another. What is said is also written in `#spoken`.
pub const BOARD: &str = r##"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>叫号屏 Hall display</title>
<style>
  :root { --brand: #00706b; --ink: #f4fbfa; --soft: #a8c3bf; --bg: #0c2624; --hot: #ffd54f; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
         background: var(--bg); color: var(--ink); min-height: 100vh; display: grid; grid-template-rows: auto 1fr auto; }
  header { background: var(--brand); padding: 18px 32px; font-size: 32px; font-weight: 800; display: flex; justify-content: space-between; }
  header small { font-size: 22px; font-weight: 400; opacity: .9; }
  main { display: grid; grid-template-columns: 2fr 1fr; gap: 28px; padding: 28px 32px; }
  .now { background: rgba(255,255,255,.06); border-radius: 20px; padding: 30px; display: grid; place-items: center; text-align: center; }
  .now .ticket { font-size: 160px; font-weight: 900; color: var(--hot); letter-spacing: 6px; line-height: 1.1; }
  .now .window { font-size: 64px; font-weight: 800; white-space: nowrap; }
  .now .window-en { font-size: 34px; color: var(--soft); margin-top: 6px; }
  .now .idle { font-size: 40px; color: var(--soft); }
  table { width: 100%; border-collapse: collapse; font-size: 34px; }
  th { text-align: left; color: var(--soft); font-weight: 400; font-size: 24px; padding: 6px 8px; }
  td { padding: 10px 8px; border-top: 1px solid rgba(255,255,255,.12); font-variant-numeric: tabular-nums; }
  td.t { font-weight: 800; color: var(--hot); }
  footer { padding: 14px 32px; display: flex; gap: 32px; font-size: 26px; background: rgba(255,255,255,.05); }
  footer .g b { color: var(--hot); font-size: 30px; }
  #link { margin-left: auto; color: var(--soft); font-size: 20px; }
  #link[data-up="no"] { color: #ff8a80; }
  #spoken { position: absolute; left: -9999px; }
</style>
</head>
<body>
<header><span id="hall"></span><small id="clock"></small></header>
<main>
  <section class="now" aria-live="assertive" id="now"><div class="idle">欢迎光临 · Welcome</div></section>
  <section><table><thead><tr><th>号码 Ticket</th><th>窗口 Window</th><th>时间 Time</th></tr></thead><tbody id="recent"></tbody></table></section>
</main>
<footer id="groups"><span id="link" data-up="no"></span></footer>
<ol id="spoken" aria-hidden="true"></ol>
<script>
"use strict";
const base = location.pathname.replace(/\/$/, "");
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
// Announcements wait their turn: a new call never cuts off the one being said.
const queue = [];
let speaking = false;
let lastSeq = null;
function say_next() {
  if (speaking || queue.length === 0) return;
  speaking = true;
  const text = queue.shift();
  $("spoken").append(el("li", "", text));
  let done = false;
  const finish = () => { if (done) return; done = true; speaking = false; setTimeout(say_next, 300); };
  // Where no voice is installed the turn still ends, by the text's length.
  setTimeout(finish, 1500 + 220 * text.length);
  try {
    if (window.speechSynthesis) {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = /[\u4e00-\u9fff]/.test(text) ? "zh-CN" : "en-US";
      u.rate = 0.9;
      u.onend = finish; u.onerror = finish;
      window.speechSynthesis.speak(u);
    }
  } catch (e) { /* the text is still on screen */ }
}
function render(s) {
  $("hall").textContent = s.hall;
  const now = $("now");
  if (s.calls.length) {
    const c = s.calls[0];
    now.replaceChildren(el("div", "ticket", c.ticket), el("div", "window", "请到 " + c.window + " 号窗口"),
                        el("div", "window-en", "Please go to window " + c.window));
  }
  const body = $("recent");
  body.replaceChildren();
  for (const c of s.calls.slice(0, 6)) {
    const tr = el("tr");
    tr.append(el("td", "t", c.ticket), el("td", "", c.window + " 号"), el("td", "", c.time));
    body.append(tr);
  }
  const g = $("groups");
  const link = $("link");
  g.replaceChildren();
  for (const x of s.groups) {
    const span = el("span", "g", x.name + " 等候 ");
    span.append(el("b", "", String(x.waiting)));
    g.append(span);
  }
  g.append(link);
  // Calls not said yet, oldest first; on first load only the newest is not
  // repeated (a restarted screen does not read out the whole morning).
  const fresh = s.calls.filter((c) => lastSeq !== null && c.seq > lastSeq).reverse();
  for (const c of fresh) for (const line of c.say) queue.push(line);
  if (s.calls.length) lastSeq = Math.max(lastSeq === null ? 0 : lastSeq, s.calls[0].seq);
  else if (lastSeq === null) lastSeq = 0;
  say_next();
}
function connect() {
  const es = new EventSource(base + "/events");
  es.addEventListener("board", (ev) => { $("link").dataset.up = "yes"; $("link").textContent = ""; render(JSON.parse(ev.data)); });
  es.onerror = () => { $("link").dataset.up = "no"; $("link").textContent = "连接中断，正在重连 · Reconnecting"; };
}
setInterval(() => { $("clock").textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false}); }, 1000);
connect();
</script>
</body>
</html>
"##;
