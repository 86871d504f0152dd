// In-page side of e2e/bench-logs.mjs (loaded by logs.html): each function runs in a fresh page
// and reports numbers; the driver reads the heap through CDP afterwards.
'use strict';

const NL = 10;

/** Counts '\n' in a Uint8Array. */
function newlines(bytes) {
  let n = 0;
  for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, i + 1)) n++;
  return n;
}

window.logBench = {
  /** The transport floor: fetch the log through the proxy and read every chunk, nothing else. */
  async transport(url) {
    const t0 = performance.now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    const reader = res.body.getReader();
    let bytes = 0, lines = 0, chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      lines += newlines(value);
      chunks++;
    }
    return { ms: performance.now() - t0, bytes, lines, chunks };
  },

  /**
   * xterm.js: a Terminal with `scrollback` rows at cols × rows, fed the streamed log as Headlamp
   * feeds its log viewer (text with '\n' → '\r\n'), with xterm's recommended flow control
   * (it throws away writes beyond 50 MB pending). Ingest = fetch start → the callback of the
   * last write (xterm parses asynchronously); drawn = after the next two animation frames.
   */
  async xtermIngest(url, { cols = 160, rows = 50, scrollback = 200000 } = {}) {
    const term = new Terminal({ cols, rows, scrollback, convertEol: false, disableStdin: true, fontSize: 13 });
    term.open(document.getElementById('term'));
    window.term = term; // kept alive for the heap measurement
    await new Promise((r) => requestAnimationFrame(() => r()));
    const HIGH = 4 << 20, LOW = 1 << 20;
    let pending = 0, resume = null;
    const write = (text) => {
      pending += text.length;
      term.write(text, () => {
        pending -= text.length;
        if (resume && pending < LOW) { const r = resume; resume = null; r(); }
      });
      return pending > HIGH ? new Promise((r) => { resume = r; }) : null;
    };
    const t0 = performance.now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let bytes = 0, lines = 0, firstByte = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      firstByte ??= performance.now() - t0;
      bytes += value.length;
      lines += newlines(value);
      const wait = write(decoder.decode(value, { stream: true }).replaceAll('\n', '\r\n'));
      if (wait) await wait;
    }
    const received = performance.now() - t0;
    await new Promise((r) => term.write('', r));
    const parsed = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    const drawn = performance.now() - t0;
    const buffer = term.buffer.active;
    return {
      firstByte, received, parsed, drawn, bytes, lines, cols, rows, scrollback,
      bufferRows: buffer.length,
      // the oldest line xterm still holds (wrapped lines take several rows)
      firstKept: buffer.getLine(0)?.translateToString(true).slice(0, 40) ?? null,
    };
  },

  /**
   * Plain JS over the same lines: the log as an array of strings, then
   * `lines.filter((l) => l.includes(q))` (and RegExp#test) per query, `runs` times each.
   */
  async jsFilter(url, { queries, regexps, typed, runs = 7 }) {
    const t0 = performance.now();
    const text = await (await fetch(url)).text();
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const split = performance.now() - t0;
    window.lines = lines; // kept alive for the heap measurement
    const time = (fn) => {
      const samples = [];
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        rows = fn().length;
        samples.push(performance.now() - s);
      }
      return { samples, rows };
    };
    const out = { lines: lines.length, bytes: text.length, split, includes: {}, regexp: {}, typed: [] };
    for (const q of queries) out.includes[q] = time(() => lines.filter((l) => l.includes(q)));
    for (const src of regexps) {
      const re = new RegExp(src);
      out.regexp[src] = time(() => lines.filter((l) => re.test(l)));
    }
    // typing a query: one full filter per keystroke (each prefix)
    for (let i = 1; i <= typed.length; i++) {
      const q = typed.slice(0, i);
      out.typed.push({ q, ...time(() => lines.filter((l) => l.includes(q))) });
    }
    return out;
  },

  /**
   * xterm.js following a live log: tail the stream into a terminal and record the interval of
   * every animation frame for `ms` (with the frame-rate limit off, an interval is the frame's
   * cost). Returns the intervals and how many lines arrived.
   */
  async xtermFollow(url, { ms = 5000, cols = 160, rows = 50, scrollback = 200000 } = {}) {
    const term = new Terminal({ cols, rows, scrollback, disableStdin: true, fontSize: 13 });
    term.open(document.getElementById('term'));
    window.term = term;
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let lines = 0;
    const pump = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          lines += newlines(value);
          term.write(decoder.decode(value, { stream: true }).replaceAll('\n', '\r\n'));
        }
      } catch { /* aborted */ }
    })();
    // skip the tail that came first
    await new Promise((r) => setTimeout(r, 1000));
    const startLines = lines;
    const frames = await window.logBench.frames(ms);
    const got = lines - startLines;
    controller.abort();
    await pump;
    return { frames, lines: got, seconds: ms / 1000 };
  },

  /**
   * Animation frames for `ms` milliseconds: `intervals` between consecutive frames (vsync-bound,
   * ~16.7 ms when nothing is late) and `costs`, each frame's main-thread time from its start
   * (the rAF timestamp) to the first task after its rendering update (a MessageChannel message
   * posted from its rAF callback). Same as bench-logs.mjs's sampleFrames.
   */
  frames(ms) {
    return new Promise((resolve) => {
      const intervals = [], costs = [];
      const channel = new MessageChannel();
      let frameStart = null, last = null;
      channel.port1.onmessage = () => {
        if (frameStart !== null) costs.push(performance.now() - frameStart);
        frameStart = null;
      };
      const end = performance.now() + ms;
      const tick = (t) => {
        if (last !== null) intervals.push(t - last);
        last = t;
        frameStart = t;
        channel.port2.postMessage(0);
        if (t < end) requestAnimationFrame(tick);
        else setTimeout(() => { channel.port1.close(); resolve({ intervals, costs }); }, 100);
      };
      requestAnimationFrame(tick);
    });
  },
};
