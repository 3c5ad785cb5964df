//! The customer display's page: one file, no assets to fetch. It follows
//! the event stream (the browser reconnects by itself after the
//! workstation restarts) and sends the rating to the API beside it. All
//! text is set with textContent: nothing in the state is read as HTML.

pub const PAGE: &str = r##"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>客户显示屏 Customer display</title>
<style>
  :root { --brand: #00706b; --ink: #1d2b2a; --soft: #5b6b6a; --bg: #f3f7f6; --warn: #b3261e; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
         background: var(--bg); color: var(--ink); min-height: 100vh; display: flex; flex-direction: column; }
  header { background: var(--brand); color: #fff; padding: 18px 28px; display: flex; align-items: center; gap: 24px; }
  header .hall { font-size: 26px; font-weight: 700; flex: 1; }
  header .window { font-size: 22px; background: rgba(255,255,255,.15); padding: 6px 14px; border-radius: 8px; }
  .card { display: flex; gap: 14px; align-items: center; background: #fff; color: var(--ink); padding: 8px 16px; border-radius: 10px; }
  .card .badge { width: 44px; height: 44px; border-radius: 50%; background: var(--brand); color: #fff; display: grid; place-items: center; font-size: 20px; font-weight: 700; }
  .card .who { font-size: 20px; font-weight: 700; }
  .card .no { font-size: 14px; color: var(--soft); }
  main { flex: 1; padding: 28px; display: grid; place-items: center; }
  section { width: min(960px, 100%); background: #fff; border-radius: 16px; padding: 32px 40px; box-shadow: 0 2px 12px rgba(0,0,0,.06); }
  h1 { margin: 0 0 18px; font-size: 30px; }
  .big { font-size: 64px; font-weight: 800; color: var(--brand); font-variant-numeric: tabular-nums; }
  .row { display: flex; justify-content: space-between; font-size: 26px; padding: 10px 0; border-bottom: 1px solid #e4ecea; font-variant-numeric: tabular-nums; }
  .row:last-child { border-bottom: 0; }
  .muted { color: var(--soft); }
  ul.owed { font-size: 24px; line-height: 1.7; padding-left: 1.2em; }
  .notice { font-size: 24px; line-height: 1.8; }
  .levels { display: grid; grid-template-columns: repeat(5, 1fr); gap: 14px; margin-top: 18px; }
  .levels button, .reasons button, .send { font: inherit; font-size: 22px; padding: 22px 8px; border-radius: 12px; border: 2px solid var(--brand); background: #fff; color: var(--ink); cursor: pointer; }
  .levels button.poor { border-color: var(--warn); }
  .levels button[aria-pressed="true"] { background: var(--warn); color: #fff; }
  .reasons { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
  .reasons button { padding: 14px 18px; }
  .reasons button[aria-pressed="true"] { background: var(--warn); color: #fff; border-color: var(--warn); }
  .send { margin-top: 20px; background: var(--brand); color: #fff; padding: 16px 40px; }
  .countdown { float: right; font-size: 20px; color: var(--soft); }
  footer { padding: 10px 28px; color: var(--soft); font-size: 16px; display: flex; justify-content: space-between; }
  #link[data-up="no"] { color: var(--warn); }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <div class="hall" id="hall"></div>
  <div class="window" id="window"></div>
  <div class="card" id="card" hidden><div class="badge" id="badge"></div><div><div class="who" id="who"></div><div class="no" id="no"></div></div></div>
</header>
<main><section id="view" aria-live="polite"></section></main>
<footer><span id="duty"></span><span id="link" data-up="no"></span></footer>
<script>
"use strict";
const T = {
  zh: { window: "窗口", staff: "工号", closed: "本窗口暂停服务", welcome: "欢迎光临", customer: "客户",
        business: "正在办理", owed: "尚需补交的材料", none_owed: "材料已齐全", paying: "缴费", due: "应收金额",
        late: "其中违约金", handed: "已收", change: "找零", done: "办理完成", number: "业务编号",
        rate: "请您对本次服务进行评价", why: "请选择不满意的原因（可多选）", send: "提交评价",
        thanks: "感谢您的评价！", seconds: "秒", duty: "今日值班经理", link_down: "正在连接…", link_up: "",
        refused: "评价未能提交：" },
  en: { window: "Window", staff: "Staff no.", closed: "This window is closed", welcome: "Welcome", customer: "Customer",
        business: "Now handling", owed: "Still to bring", none_owed: "All materials received", paying: "Payment", due: "Amount due",
        late: "of which late fee", handed: "Received", change: "Change", done: "Done", number: "Reference",
        rate: "Please rate our service", why: "What went wrong? (choose any)", send: "Send rating",
        thanks: "Thank you for your rating!", seconds: "s", duty: "Duty manager today", link_down: "Connecting…", link_up: "",
        refused: "The rating was not taken: " }
};
let state = null, chosen = null, reasons = new Set(), deadline = 0, timer = null, sentFor = null;
const $ = id => document.getElementById(id);
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
function row(label, value) { const r = el("div", undefined, "row"); r.append(el("span", label), el("span", value)); return r; }
function nm(n, lang) { return n ? (lang === "en" ? n.en : n.zh) : ""; }
function render() {
  const s = state; if (!s) return;
  const L = T[s.lang] || T.zh;
  document.documentElement.lang = s.lang === "en" ? "en" : "zh-CN";
  $("hall").textContent = s.lang === "en" ? s.hall.en : s.hall.zh;
  $("window").textContent = L.window + " " + s.window + (s.ticket ? " · " + s.ticket : "");
  $("card").hidden = !s.clerk;
  if (s.clerk) { $("badge").textContent = s.clerk.name.slice(0, 1); $("who").textContent = s.clerk.name; $("no").textContent = L.staff + " " + s.clerk.staff_no; }
  $("duty").textContent = L.duty + "：" + s.duty_manager.name + "  " + s.duty_manager.phone;
  const v = $("view"); v.replaceChildren();
  const a = s.asking, m = s.moment;
  if (a.kind === "rate") return rateView(v, s, L);
  if (a.kind === "thanks") { v.append(el("h1", L.thanks)); return; }
  if (!s.clerk) { v.append(el("h1", L.closed)); s.notices.forEach(n => v.append(el("p", n, "notice"))); return; }
  if (m.kind === "idle") { v.append(el("h1", L.welcome)); s.notices.forEach(n => v.append(el("p", n, "notice"))); return; }
  if (m.kind === "serving") {
    v.append(el("h1", L.customer + " " + m.customer));
    if (m.business) v.append(row(L.business, nm(m.business, s.lang)));
    if (m.business) {
      if (m.owed.length) { v.append(el("p", L.owed, "muted")); const ul = el("ul", undefined, "owed"); m.owed.forEach(o => ul.append(el("li", nm(o, s.lang)))); v.append(ul); }
      else v.append(el("p", L.none_owed, "muted"));
    }
    return;
  }
  if (m.kind === "paying") {
    v.append(el("h1", L.paying + (m.what ? " · " + nm(m.what, s.lang) : "")));
    const due = el("div", m.due === null ? "—" : "¥ " + m.due, "big"); due.id = "due"; v.append(row(L.due, ""), due);
    if (m.late_fee !== "0.00") v.append(row(L.late, "¥ " + m.late_fee));
    m.handed.forEach(h => v.append(row(L.handed + " · " + nm(h.label, s.lang), "¥ " + h.amount)));
    if (m.change !== "0.00") { const c = row(L.change, "¥ " + m.change); c.id = "change"; v.append(c); }
    return;
  }
  if (m.kind === "done") {
    v.append(el("h1", L.done), row(L.number, m.reference));
    if (m.change && m.change !== "0.00") { const c = row(L.change, "¥ " + m.change); c.id = "change"; v.append(c); }
  }
}
function rateView(v, s, L) {
  const a = s.asking;
  if (sentFor !== a.reference && (!deadline || chosen === null && reasons.size === 0 && v.dataset.ref !== a.reference)) {
    deadline = Date.now() + a.seconds_left * 1000;
  }
  v.dataset.ref = a.reference;
  const cd = el("span", "", "countdown"); cd.id = "countdown";
  const h = el("h1", L.rate); h.append(cd); v.append(h);
  const grid = el("div", undefined, "levels");
  s.levels.forEach(l => {
    const b = el("button", s.lang === "en" ? l.en : l.zh, l.poor ? "poor" : "");
    b.dataset.level = l.code;
    b.onclick = () => { chosen = l.code; if (l.poor) { render(); } else { send(); } };
    if (chosen === l.code) b.setAttribute("aria-pressed", "true");
    grid.append(b);
  });
  v.append(grid);
  const level = s.levels.find(l => l.code === chosen);
  if (level && level.poor) {
    v.append(el("p", L.why, "muted"));
    const rs = el("div", undefined, "reasons");
    s.reasons.forEach(r => {
      const b = el("button", s.lang === "en" ? r.en : r.zh); b.dataset.reason = r.code;
      b.setAttribute("aria-pressed", reasons.has(r.code) ? "true" : "false");
      b.onclick = () => { reasons.has(r.code) ? reasons.delete(r.code) : reasons.add(r.code); render(); };
      rs.append(b);
    });
    v.append(rs);
    const go = el("button", L.send, "send"); go.id = "send"; go.onclick = send; v.append(go);
  }
  const err = el("p", "", "muted"); err.id = "err"; v.append(err);
  tick();
}
function tick() {
  const cd = $("countdown"); if (!cd || !state) return;
  const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  cd.textContent = left + " " + (T[state.lang] || T.zh).seconds;
}
async function send() {
  const s = state; if (!s || s.asking.kind !== "rate" || chosen === null) return;
  const body = { reference: s.asking.reference, level: chosen, reasons: [...reasons], channel: "display" };
  sentFor = s.asking.reference;
  try {
    const r = await fetch("rating", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!r.ok) { const j = await r.json().catch(() => ({})); const e = $("err"); if (e) e.textContent = (T[s.lang] || T.zh).refused + (j.refused || r.status); }
  } catch (e) { const x = $("err"); if (x) x.textContent = (T[s.lang] || T.zh).refused + e; }
}
function connect() {
  const es = new EventSource("events");
  es.addEventListener("facing", e => {
    const next = JSON.parse(e.data);
    const ref = next.asking && next.asking.reference;
    if (!state || !state.asking || state.asking.reference !== ref) { chosen = null; reasons = new Set(); deadline = 0; sentFor = null; }
    state = next; $("link").dataset.up = "yes"; $("link").textContent = ""; render();
    document.body.dataset.seq = String((Number(document.body.dataset.seq) || 0) + 1);
  });
  es.onerror = () => { $("link").dataset.up = "no"; $("link").textContent = (T[state ? state.lang : "zh"] || T.zh).link_down; };
}
timer = setInterval(tick, 500);
connect();
</script>
</body>
</html>
"##;
