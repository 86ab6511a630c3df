#!/usr/bin/env python3
"""Latency and memory of `policy-lsp serve` (or any stdio language server) on large drafts.

Starts the server, opens a draft and times, over JSON-RPC on stdio, what an author waits
for:

- didOpen → the first publishDiagnostics for the opened version;
- one-character incremental edits at random places (positions in UTF-16, as the client
  negotiates) → the publishDiagnostics *for that version*: first at typing speed (one edit,
  then wait for its diagnostics, then pause), then as bursts sent back to back, where only
  the last version's diagnostics count (the server may skip the versions in between);
- hover, documentSymbol, foldingRange and semanticTokens/full, each request → response;
- the server's resident memory (VmRSS) after opening, and its peak (VmHWM) at the end.

With `--copies N` the draft is opened N times (as N documents) before the timings, to
measure resident memory with many large drafts open.

Standard library only. Prints a human summary, or one JSON object with `--json`.

    scripts/lsp_latency.py DRAFT                      # target/release/policy-lsp serve
    scripts/lsp_latency.py --edits 300 --burst 50 DRAFT
    scripts/lsp_latency.py --copies 10 --edits 0 DRAFT
    scripts/lsp_latency.py DRAFT -- some-other-server --stdio
"""

import argparse
import json
import os
import pathlib
import queue
import random
import statistics
import subprocess
import sys
import threading
import time

REPO = pathlib.Path(__file__).resolve().parent.parent


def percentile(values, p):
    """The p-th percentile (0–100) by the nearest-rank method; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def summary(values):
    """Milliseconds: count, p50, p95, p99, max."""
    ms = [v * 1000 for v in values]
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms) if ms else None,
    }


def memory_kib(pid):
    """VmRSS and VmHWM of a process, in KiB (Linux); (None, None) elsewhere."""
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


class Server:
    """A language server on stdio: requests with ids, notifications, and a reader thread
    that timestamps every message as it arrives."""

    def __init__(self, command, stderr):
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            bufsize=0,
        )
        self.next_id = 0
        self.lock = threading.Lock()
        self.responses = {}
        self.response_ready = threading.Condition(self.lock)
        # (uri, version) → arrival time of its first publishDiagnostics
        self.diagnostics = {}
        self.diagnostics_ready = threading.Condition(self.lock)
        self.published = []  # every (uri, version, arrival) in order
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _send(self, message):
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        header = f"Content-Length: {len(body)}\r\n\r\n".encode("ascii")
        self.process.stdin.write(header + body)
        self.process.stdin.flush()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = b""
            while len(body) < length:
                chunk = stream.read(length - len(body))
                if not chunk:
                    return
                body += chunk
            arrived = time.perf_counter()
            message = json.loads(body)
            self._dispatch(message, arrived)

    def _dispatch(self, message, arrived):
        method = message.get("method")
        if method is None:
            with self.lock:
                self.responses[message.get("id")] = (arrived, message)
                self.response_ready.notify_all()
        elif "id" in message:
            # A request from the server: answer it so it never waits on us.
            result = None
            if method == "workspace/configuration":
                result = [None] * len(message.get("params", {}).get("items", []))
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif method == "textDocument/publishDiagnostics":
            params = message["params"]
            key = (params["uri"], params.get("version"))
            with self.lock:
                self.published.append((key[0], key[1], arrived))
                self.diagnostics.setdefault(key, arrived)
                self.diagnostics_ready.notify_all()

    def request(self, method, params):
        """Sends a request; returns (seconds to the response, response)."""
        with self.lock:
            self.next_id += 1
            request_id = self.next_id
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        with self.lock:
            while request_id not in self.responses:
                if not self.response_ready.wait(timeout=300):
                    raise TimeoutError(f"no response to {method}")
            arrived, response = self.responses.pop(request_id)
        if "error" in response:
            raise RuntimeError(f"{method}: {response['error']}")
        return arrived - sent, response.get("result")

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, version, timeout=300):
        """The arrival time of the diagnostics for (uri, version)."""
        deadline = time.perf_counter() + timeout
        with self.lock:
            while (uri, version) not in self.diagnostics:
                left = deadline - time.perf_counter()
                if left <= 0 or not self.diagnostics_ready.wait(timeout=left):
                    raise TimeoutError(f"no diagnostics for {uri} version {version}")
            return self.diagnostics[(uri, version)]

    def shutdown(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (OSError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class Draft:
    """The client's copy of one document's text, as lines, with UTF-16 positions."""

    def __init__(self, text):
        self.lines = text.split("\n")

    def random_position(self, rng):
        """(line, UTF-16 column, character index) at a random place in a non-empty line."""
        while True:
            line = rng.randrange(len(self.lines))
            if self.lines[line]:
                break
        index = rng.randrange(len(self.lines[line]) + 1)
        return line, utf16_len(self.lines[line][:index]), index

    def insert(self, line, index, char):
        text = self.lines[line]
        self.lines[line] = text[:index] + char + text[index:]

    def delete(self, line, index):
        text = self.lines[line]
        self.lines[line] = text[:index] + text[index + 1 :]


def utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def one_edit(draft, rng):
    """A random one-character change: mostly typing a letter or space, sometimes a
    backspace. Returns the LSP content change and applies it to the client's copy."""
    line, column, index = draft.random_position(rng)
    text = draft.lines[line]
    if index > 0 and rng.random() < 0.25:
        # Delete the character before the cursor (one UTF-16 unit or a surrogate pair).
        width = utf16_len(text[index - 1])
        draft.delete(line, index - 1)
        start = {"line": line, "character": column - width}
        end = {"line": line, "character": column}
        return {"range": {"start": start, "end": end}, "text": ""}
    char = rng.choice("etaoinshrdlu ,.")
    draft.insert(line, index, char)
    position = {"line": line, "character": column}
    return {"range": {"start": position, "end": position}, "text": char}


def language_of(path):
    return "markdown" if path.suffix.lower() in (".md", ".markdown") else "plaintext"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("draft", type=pathlib.Path, help="the draft to open")
    parser.add_argument("--edits", type=int, default=100,
                        help="one-character edits at typing speed (default 100)")
    parser.add_argument("--typing-interval", type=float, default=0.05,
                        help="pause after each edit's diagnostics, seconds (default 0.05)")
    parser.add_argument("--bursts", type=int, default=5,
                        help="bursts of edits sent back to back (default 5)")
    parser.add_argument("--burst", type=int, default=20,
                        help="edits per burst (default 20)")
    parser.add_argument("--requests", type=int, default=50,
                        help="hover, documentSymbol, foldingRange and semanticTokens requests, each (default 50)")
    parser.add_argument("--copies", type=int, default=1,
                        help="open the draft this many times, as different documents (default 1)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--server-log", type=pathlib.Path,
                        help="where the server's stderr goes (default: discarded)")
    parser.add_argument("command", nargs="*",
                        help="the server command after `--` (default: target/release/policy-lsp serve)")
    args = parser.parse_args()

    command = args.command or [str(REPO / "target/release/policy-lsp"), "serve"]
    text = args.draft.read_text(encoding="utf-8")
    rng = random.Random(args.seed)
    stderr = open(args.server_log, "wb") if args.server_log else subprocess.DEVNULL
    server = Server(command, stderr)
    results = {
        "server": command,
        "draft": str(args.draft),
        "bytes": len(text.encode("utf-8")),
        "copies": args.copies,
    }
    try:
        started = time.perf_counter()
        server.request("initialize", {
            "processId": os.getpid(),
            "rootUri": None,
            "workspaceFolders": None,
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "synchronization": {"didSave": False},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                    "semanticTokens": {
                        "requests": {"full": True},
                        "tokenTypes": [],
                        "tokenModifiers": [],
                        "formats": ["relative"],
                    },
                },
            },
        })
        server.notify("initialized", {})
        results["initialize_ms"] = (time.perf_counter() - started) * 1000

        base = args.draft.resolve().as_uri()
        uris = [base] + [f"{base}.copy{i}{args.draft.suffix}" for i in range(1, args.copies)]
        open_times = []
        for uri in uris:
            sent = time.perf_counter()
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": language_of(args.draft), "version": 1, "text": text,
            }})
            open_times.append(server.wait_diagnostics(uri, 1) - sent)
        results["open_to_diagnostics"] = summary(open_times)
        time.sleep(0.5)  # let the allocator settle before reading memory
        rss, _ = memory_kib(server.process.pid)
        results["rss_after_open_mib"] = rss / 1024 if rss else None

        uri = uris[0]
        draft = Draft(text)
        version = 1

        # Typing speed: one edit, its diagnostics, a pause.
        typing = []
        for _ in range(args.edits):
            version += 1
            change = one_edit(draft, rng)
            sent = time.perf_counter()
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [change],
            })
            typing.append(server.wait_diagnostics(uri, version) - sent)
            time.sleep(args.typing_interval)
        results["edit_to_diagnostics"] = summary(typing)

        # Bursts: edits back to back; the last version's diagnostics are what counts.
        bursts, published_in_burst = [], []
        for _ in range(args.bursts):
            first_version = version + 1
            for _ in range(args.burst):
                version += 1
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [one_edit(draft, rng)],
                })
            sent = time.perf_counter()
            bursts.append(server.wait_diagnostics(uri, version) - sent)
            with server.lock:
                published_in_burst.append(sum(
                    1 for u, v, _ in server.published
                    if u == uri and v is not None and first_version <= v <= version))
            time.sleep(args.typing_interval)
        if args.bursts:
            results["burst_last_edit_to_diagnostics"] = summary(bursts)
            results["burst_versions_published"] = {
                "edits_per_burst": args.burst,
                "median_published": statistics.median(published_in_burst),
            }

        # Requests on the settled document.
        def timed(method, params_of):
            times = []
            for _ in range(args.requests):
                elapsed, _ = server.request(method, params_of())
                times.append(elapsed)
            return summary(times)

        document = {"uri": uri}

        def hover_params():
            line, column, _ = draft.random_position(rng)
            return {"textDocument": document, "position": {"line": line, "character": column}}

        results["hover"] = timed("textDocument/hover", hover_params)
        results["document_symbol"] = timed(
            "textDocument/documentSymbol", lambda: {"textDocument": document})
        results["folding_range"] = timed(
            "textDocument/foldingRange", lambda: {"textDocument": document})
        results["semantic_tokens"] = timed(
            "textDocument/semanticTokens/full", lambda: {"textDocument": document})

        rss, hwm = memory_kib(server.process.pid)
        results["rss_end_mib"] = rss / 1024 if rss else None
        results["peak_rss_mib"] = hwm / 1024 if hwm else None
    finally:
        server.shutdown()

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{results['draft']}: {results['bytes']} bytes, {args.copies} open; "
          f"server: {' '.join(command)}")
    print(f"  initialize {results['initialize_ms']:.1f} ms")
    rows = [
        ("didOpen → diagnostics", "open_to_diagnostics"),
        ("edit → diagnostics (typing)", "edit_to_diagnostics"),
        ("burst: last edit → diagnostics", "burst_last_edit_to_diagnostics"),
        ("hover", "hover"),
        ("documentSymbol", "document_symbol"),
        ("foldingRange", "folding_range"),
        ("semanticTokens/full", "semantic_tokens"),
    ]
    print(f"  {'':34} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for label, key in rows:
        s = results.get(key)
        if not s or not s["n"]:
            continue
        print(f"  {label:34} {s['n']:>5} {s['p50']:>9.2f} {s['p95']:>9.2f} "
              f"{s['p99']:>9.2f} {s['max']:>9.2f}")
    if "burst_versions_published" in results:
        b = results["burst_versions_published"]
        print(f"  bursts of {b['edits_per_burst']} edits: median "
              f"{b['median_published']} versions published per burst")
    fmt = lambda v: "n/a" if v is None else f"{v:.1f} MiB"
    print(f"  resident after open {fmt(results['rss_after_open_mib'])}, at end "
          f"{fmt(results['rss_end_mib'])}, peak {fmt(results['peak_rss_mib'])}")


if __name__ == "__main__":
    sys.exit(main())
