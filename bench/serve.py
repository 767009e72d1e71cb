#!/usr/bin/env python3
"""Benchmark `briefing serve`: time from saving one article to the reload message on the socket.

Usage: bench/serve.py [N ...] [--edits K] [--page article|none|PATH] [--hugo | --hugo-fast] [--binary PATH]
                      [--timeout S] [--render-times] [--gap MS]

For each N (default 100 1000 10000): generate a synthetic corpus of N articles
(bench/gen_corpus.py, cached under bench/.corpus/N), start `briefing serve --port 0` (release
build: run `cargo build --release` first), open the server-sent event stream, then K times edit
one article (a sentence changes) and measure from just before the write to the `reload` event.
The server's own "rebuilt in ... ms" line (with its per-stage times) is reported too.

The event stream listens as a browser showing a page does (`?page=`): by default the edited
article's page (`--page article`), which the server renders first and reloads before the rest of
the site; `--page /` for the briefing, `--page none` for a stream that shows no page (the reload
then waits for the whole render). After each reload the page is fetched, and the time from the
write to its last byte is reported too (an article page must show the edit).

With --hugo, the same corpus as a minimal Hugo site (`hugo server`, renders to memory) gets the
same edit; we measure write -> LiveReload `reload` message on Hugo's websocket, and read Hugo's
own "Total in N ms" (`--disableFastRender`: a full render per edit; `--hugo-fast` keeps Hugo's
default fast render mode and fetches the edited page first, as a browser showing it would). With --render-times the server also prints where each render's time goes
(BRIEFING_RENDER_TIMES=1), shown under each rebuild line. The output folder is removed before
each run, so the first build starts from nothing. The server's CPU time (all its threads) from the
write to the reload is printed too: steadier than wall time when the machine is busy.

By default each edit waits until the server has finished the last one (rendered the rest of the
site and written it). With --gap MS the next edit is saved MS after the reload instead, as a
writer saving again soon after looking does: the time to its reload then includes whatever the
server still had to do for the edit before (since the fourth session of 2026-12-07 a newer save
stops that rest of the render: such rebuilds print `superseded after ...` instead of `rebuilt in`,
and their lines are listed with the others). Not a test: figures depend on the machine; see the
README's *Measured* section.
"""
import base64
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import queue
import urllib.parse
import urllib.request
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def corpus(n, hugo):
    root = os.path.join(HERE, ".corpus", str(n))
    marker = os.path.join(root, "hugo" if hugo else "content")
    if not os.path.isdir(marker):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), str(n), root]
                       + (["--hugo"] if hugo else []), check=True)
    return root


def pump(stream, lines, q=None, pattern=None):
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip("\n")
        lines.append(line)
        if q is not None and pattern and re.search(pattern, line):
            q.put(line)


def sse_events(host, port, q, page=None):
    """Listen as a browser showing `page` (a pathname such as /articles/x/; None: no page)."""
    s = socket.create_connection((host, port))
    query = "?page=" + urllib.parse.quote(page, safe="") if page else ""
    s.sendall(f"GET /__briefing/events{query} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    f = s.makefile("rb")
    event = None
    for raw in f:
        line = raw.decode().rstrip("\r\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line == "" and event:
            q.put((event, time.perf_counter()))
            event = None


def cpu_ns(pid):
    """CPU time all threads of process `pid` have run, in ns (Linux schedstat), or None."""
    total, base = 0, f"/proc/{pid}/task"
    try:
        for t in os.listdir(base):
            try:
                with open(f"{base}/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        return None
    return total


def edit(path, k):
    """The article with one sentence of its body changed: the longest line (a paragraph of the
    article text, not a menu or footer line) ends with an added sentence naming a new figure."""
    with open(path) as f:
        lines = f.read().split("\n")
    i = max(range(len(lines)), key=lambda j: len(re.sub(r" The council later said \d+ people were moved\.$", "", lines[j])))
    base = re.sub(r" The council later said \d+ people were moved\.$", "", lines[i])
    lines[i] = base + f" The council later said {100 + k} people were moved."
    return "\n".join(lines)


def fetch(host, port, page):
    """GET `page` as the reloading browser does; its body."""
    with urllib.request.urlopen(f"http://{host}:{port}{page}", timeout=60) as r:
        return r.read().decode("utf-8", "replace")


def bench_briefing(n, edits, binary, timeout, render_times=False, page="article", gap=None):
    root = corpus(n, False)
    shutil.rmtree(os.path.join(root, "public"), ignore_errors=True)
    env = dict(os.environ)
    if render_times:
        env["BRIEFING_RENDER_TIMES"] = "1"
    proc = subprocess.Popen([binary, "serve", "--config", os.path.join(root, "site.toml"),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lines, rebuilt = [], queue.Queue()
    started = queue.Queue()
    threading.Thread(target=pump, args=(proc.stdout, lines, rebuilt, r"^(rebuilt in|superseded after)"),
                     daemon=True).start()
    threading.Thread(target=pump, args=(proc.stderr, lines), daemon=True).start()
    try:
        deadline = time.time() + timeout
        first = rebuilt.get(timeout=timeout)
        while not any("Serving" in l for l in lines):
            if time.time() > deadline:
                raise TimeoutError("serve did not start")
            time.sleep(0.01)
        url = next(l for l in lines if "Serving" in l)
        host, port = re.search(r"http://([\d.]+):(\d+)/", url).groups()
        # The first build wrote every file; the kernel writes them back to disk for seconds
        # afterwards (at 10,000 articles, 174,000 files), taking CPU from the rebuilds timed
        # below. Wait for that, as a user who starts editing a while after `serve` started.
        s0 = time.perf_counter()
        os.sync()
        print(f"  (first build's files synced to disk in {time.perf_counter() - s0:.1f} s)",
              flush=True)
        events = queue.Queue()
        stem = f"{n // 2:05d}"
        shown = {"article": f"/articles/{stem}/", "none": None}.get(page, page)
        threading.Thread(target=sse_events, args=(host, int(port), events, shown),
                         daemon=True).start()
        assert events.get(timeout=10)[0] == "ready"
        article = os.path.join(root, "content", f"{stem}.txt")
        results, reported = [], []
        cpus, fetched = [], []
        for k in range(edits):
            text = edit(article, k)
            c0 = cpu_ns(proc.pid)
            t0 = time.perf_counter()
            with open(article, "w") as f:
                f.write(text)
            while True:
                ev, t1 = events.get(timeout=timeout)
                if ev == "reload":
                    break
                if ev == "problems":
                    raise RuntimeError("rebuild failed: " + "\n".join(lines[-5:]))
            c1 = cpu_ns(proc.pid)
            results.append((t1 - t0) * 1000)
            if c0 is not None and c1 is not None:
                cpus.append((c1 - c0) / 1e6)
            if shown:
                # What the reader waits for: the reloaded page, which must show the edit.
                body = fetch(host, port, shown)
                fetched.append((time.perf_counter() - t0) * 1000)
                if shown.startswith("/articles/") and f"said {100 + k} people" not in body:
                    raise RuntimeError(f"{shown} reloaded without the edit; the server said:\n"
                                       + "\n".join(lines[-4:]))
            if gap is not None:
                # Save again soon: the rebuild lines are read at the end.
                time.sleep(gap / 1000)
                continue
            line = rebuilt.get(timeout=timeout)
            while line.startswith("superseded"):
                # The watcher reported the save twice: the rebuild after it finishes the site.
                line = rebuilt.get(timeout=timeout)
            time.sleep(0.2)
            parts = [l for l in lines if l.startswith("render: [")]
            reported.append(line + ("\n    " + parts[-1] if render_times and parts else ""))
        if gap is not None:
            # One line per rebuild: "superseded after" when the next save stopped its render
            # (the next rebuild renders both edits), "rebuilt in" otherwise; the last edit's
            # rebuild is never superseded.
            reported = [rebuilt.get(timeout=timeout) for _ in range(edits)]
            while reported[-1].startswith("superseded"):
                reported.append(rebuilt.get(timeout=timeout))
        return first, results, reported, cpus, (shown, fetched)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def ws_reload(port, q):
    """A minimal websocket client for Hugo's LiveReload endpoint; puts the time of each reload."""
    s = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    buf = buf.split(b"\r\n\r\n", 1)[1]
    hello = b'{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}'
    mask = os.urandom(4)
    s.sendall(bytes([0x81, 0x80 | len(hello)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(hello)))
    q.put(("open", time.perf_counter()))
    while True:
        while len(buf) < 2:
            chunk = s.recv(65536)
            if not chunk:
                return
            buf += chunk
        ln, off = buf[1] & 0x7F, 2
        if ln == 126:
            while len(buf) < 4:
                buf += s.recv(65536)
            ln, off = int.from_bytes(buf[2:4], "big"), 4
        elif ln == 127:
            while len(buf) < 10:
                buf += s.recv(65536)
            ln, off = int.from_bytes(buf[2:10], "big"), 10
        while len(buf) < off + ln:
            buf += s.recv(65536)
        payload, buf = buf[off:off + ln], buf[off + ln:]
        if b'"reload"' in payload:
            q.put(("reload", time.perf_counter()))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def bench_hugo(n, edits, timeout, fast=False):
    """`fast`: Hugo's default fast render mode (it re-renders the pages a browser visited
    first); the edited article's page is fetched once before the edits, as a browser would."""
    if shutil.which("hugo") is None:
        sys.exit("serve.py: --hugo needs Hugo on the PATH (apt-get install hugo)")
    root = os.path.join(corpus(n, True), "hugo")
    port = free_port()
    proc = subprocess.Popen(["hugo", "server", "--port", str(port), "--bind", "127.0.0.1"]
                            + ([] if fast else ["--disableFastRender"]), cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines, totals = [], queue.Queue()
    threading.Thread(target=pump, args=(proc.stdout, lines, totals, r"(Built|Total) in \d+"), daemon=True).start()
    try:
        first = totals.get(timeout=timeout)
        deadline = time.time() + timeout
        while not any("Web Server is available" in l for l in lines):
            if time.time() > deadline:
                raise TimeoutError("hugo server did not start")
            time.sleep(0.01)
        q = queue.Queue()
        threading.Thread(target=ws_reload, args=(port, q), daemon=True).start()
        assert q.get(timeout=10)[0] == "open"
        time.sleep(0.3)
        article = os.path.join(root, "content", "posts", f"{n // 2:05d}.md")
        if fast:
            fetch("127.0.0.1", port, f"/posts/{n // 2:05d}/")
        results, reported = [], []
        for k in range(edits):
            text = edit(article, k)
            t0 = time.perf_counter()
            with open(article, "w") as f:
                f.write(text)
            while True:
                ev, t1 = q.get(timeout=timeout)
                if ev == "reload":
                    break
            results.append((t1 - t0) * 1000)
            reported.append(totals.get(timeout=timeout))
            time.sleep(0.3)
            while not q.empty():
                q.get()
        return first, results, reported
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def summary(ms):
    return (f"median {statistics.median(ms):.0f} ms, min {min(ms):.0f}, max {max(ms):.0f} "
            f"({len(ms)} edits)")


def main():
    args = sys.argv[1:]
    edits, timeout, hugo, render_times, page = 5, 600.0, False, False, "article"
    hugo_fast, gap = False, None
    binary = os.path.join(REPO, "target", "release", "briefing")
    sizes = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--edits":
            edits, i = int(args[i + 1]), i + 1
        elif a == "--timeout":
            timeout, i = float(args[i + 1]), i + 1
        elif a == "--binary":
            binary, i = args[i + 1], i + 1
        elif a == "--page":
            page, i = args[i + 1], i + 1
        elif a == "--hugo":
            hugo = True
        elif a == "--hugo-fast":
            hugo, hugo_fast = True, True
        elif a == "--render-times":
            render_times = True
        elif a == "--gap":
            gap, i = float(args[i + 1]), i + 1
        else:
            sizes.append(int(a))
        i += 1
    sizes = sizes or [100, 1000, 10000]
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: run `cargo build --release` first")
    for n in sizes:
        first, ms, reported, cpus, (shown, fetched) = bench_briefing(
            n, edits, binary, timeout, render_times, page, gap)
        print(f"briefing N={n}: save -> reload event {summary(ms)}"
              f" (open page: {shown or 'none'})"
              + (f", each save {gap:.0f} ms after the last reload" if gap is not None else ""))
        if fetched:
            print(f"  save -> reloaded page fetched: {summary(fetched)}")
        if cpus:
            # CPU the server ran (all threads) from the write to the reload event: steadier
            # than wall time on a busy machine; above the wall time when both cores worked.
            print(f"  server CPU per edit (write -> reload, all threads): median "
                  f"{statistics.median(cpus):.0f} ms, min {min(cpus):.0f}, max {max(cpus):.0f}")
        print(f"  first build: {first}")
        stages = {}
        for r in reported:
            m = re.search(r"\[(.*?)\]", r)
            for part in (m.group(1).split(", ") if m else []):
                name, _, value = part.rpartition(" ")
                try:
                    stages.setdefault(name, []).append(float(value))
                except ValueError:
                    pass
        if stages:
            # Each stage's median over the edits (the server's own timings).
            print("  stage medians (ms): " + ", ".join(
                f"{k} {statistics.median(v):.1f}" for k, v in stages.items()))
        for r in reported:
            print(f"  {r}")
        if hugo:
            first, ms, reported = bench_hugo(n, edits, timeout, hugo_fast)
            mode = "fast render, the article visited" if hugo_fast else "--disableFastRender"
            print(f"hugo     N={n}: save -> livereload message {summary(ms)} ({mode})")
            print(f"  first build: {first.strip()}")
            print("  hugo reports: " + ", ".join(re.search(r"in \d+ ms", r).group(0) for r in reported))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
