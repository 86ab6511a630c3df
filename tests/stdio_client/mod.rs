//! A JSON-RPC client for the real `policy-lsp serve` binary over its stdio, shared by the
//! end-to-end server tests (`server_features.rs`, `protocol_abuse.rs`).
//!
//! A reader thread parses the server's frames strictly (any header but `Content-Length`
//! fails the test: the server's own framing must stay exact, whatever it was sent) and,
//! when asked, answers the server's own requests (`client/registerCapability`,
//! `workspace/configuration`) with `null`s. Messages a test is not waiting for are kept, in
//! order, in `backlog`. The server's stderr is collected so that a test can look for
//! panics. Timeouts only keep a broken server from hanging a test; no timing is asserted.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A message framed for the wire.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// What the client does with the requests the server sends it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ServerRequests {
    /// Answer each with `null` (an array of `null`s for `workspace/configuration`).
    Answer,
    /// Leave them unanswered, like a client that ignores them.
    Ignore,
}

pub struct StdioServer {
    pub child: Child,
    /// `None` once the input is closed.
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    incoming: Receiver<Value>,
    /// Messages read but not yet waited for, in arrival order.
    pub backlog: VecDeque<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    timeout: Duration,
}

impl StdioServer {
    /// Starts `policy-lsp serve`; nothing is sent yet.
    pub fn spawn(requests: ServerRequests, timeout: Duration) -> StdioServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy-lsp"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr_pipe = child.stderr.take().expect("piped stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stderr_pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let (tx, incoming) = mpsc::channel();
        let answer = stdin.clone();
        std::thread::spawn(move || {
            let mut read = BufReader::new(stdout);
            while let Some(message) = read_message(&mut read) {
                let is_request = message.get("method").is_some() && message.get("id").is_some();
                if requests == ServerRequests::Answer && is_request {
                    let items = message["params"]["items"].as_array().map(Vec::len);
                    let result = items.map_or(Value::Null, |n| json!(vec![Value::Null; n]));
                    let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": result});
                    if let Some(stdin) = answer.lock().unwrap().as_mut() {
                        let _ = stdin.write_all(&frame(reply.to_string().as_bytes()));
                    }
                }
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        StdioServer {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            stderr,
            next_id: 1,
            timeout,
        }
    }

    /// Writes bytes as they are, framed or not.
    pub fn raw(&self, bytes: &[u8]) {
        let mut stdin = self.stdin.lock().unwrap();
        let stdin = stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads its input");
        stdin.flush().expect("the server reads its input");
    }

    pub fn send(&self, message: &Value) {
        self.raw(&frame(message.to_string().as_bytes()));
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn fresh_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// Sends a request and waits for its response (the whole response object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.fresh_id();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&json!(id))
    }

    /// The response with this id.
    pub fn response(&mut self, id: &Value) -> Value {
        let id = id.clone();
        self.wait(move |m| m.get("method").is_none() && m["id"] == id)
    }

    /// The next message satisfying `wanted`; everything else read meanwhile is kept.
    pub fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(message) => message,
                Err(e) => panic!("no answer ({e}); the server's stderr:\n{}", self.stderr()),
            };
            if wanted(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// What the server has written to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn assert_no_panic(&self, case: &str) {
        let stderr = self.stderr();
        assert!(
            !stderr.contains("panicked"),
            "{case}: the server panicked:\n{stderr}"
        );
    }

    /// Closes the server's input and waits for the process to end; its exit code.
    pub fn wait_exit(&mut self) -> i32 {
        drop(self.stdin.lock().unwrap().take());
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the stderr reader catch up before anyone looks for panics.
                std::thread::sleep(Duration::from_millis(50));
                return status.code().expect("an exit code, not a signal");
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `shutdown` (which must succeed), `exit`, and the process ends with status 0.
    pub fn shutdown_and_exit(&mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        assert_eq!(self.wait_exit(), 0, "{}", self.stderr());
        self.assert_no_panic("exit");
    }
}

impl Drop for StdioServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The next message from the server, or `None` at the end of its output.
fn read_message(read: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let n = line
            .strip_prefix("Content-Length: ")
            .unwrap_or_else(|| panic!("unexpected header from the server: {line:?}"));
        length = Some(n.parse::<usize>().expect("a length"));
    }
    let mut body = vec![0; length.expect("Content-Length from the server")];
    read.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("JSON from the server"))
}
