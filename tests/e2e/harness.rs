//! Reusable browser-test harness.
//!
//! - [`StaticServer`]: a tiny std-only HTTP server for `dist/` on
//!   `127.0.0.1:0`, with correct MIME types, that records every request path.
//! - [`ChromeDriver`]: spawns `/usr/bin/chromedriver` on a free port and
//!   kills it on drop.
//! - [`Browser`]: one headless Chromium session (fresh temp profile) with
//!   helpers to open pages, poll ([`wait_for`]), read browser console logs and
//!   save screenshots.
//!
//! Everything is local: the browser is told to resolve no host but
//! 127.0.0.1, so a request to anywhere else fails loudly instead of leaving
//! the machine.

#![allow(dead_code)] // Not every test binary uses every helper.

use std::collections::BTreeSet;
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// Errors from the harness: boxed, with a readable message.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result type of the harness.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How long [`wait_for`] polls by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// Pause between two polls in [`wait_for`].
const POLL_INTERVAL: Duration = Duration::from_millis(50);

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built site. `IAM_PLAYGROUND_DIST` overrides the default `<root>/dist`.
///
/// Fails with a message saying how to build it when it is missing.
pub fn dist_dir() -> Result<PathBuf> {
    let dir = match std::env::var_os("IAM_PLAYGROUND_DIST") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("dist"),
    };
    let required = [
        "index.html",
        "pkg/iam_playground.js",
        "pkg/iam_playground_bg.wasm",
    ];
    for file in required {
        if !dir.join(file).is_file() {
            return Err(format!(
                "{} is missing: run `scripts/build` first (it builds the web app into dist/)",
                dir.join(file).display()
            )
            .into());
        }
    }
    Ok(dir)
}

/// Where screenshots go: `<target dir>/screenshots`, honouring `CARGO_TARGET_DIR`.
pub fn screenshot_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    };
    target.join("screenshots")
}

/// Polls `probe` until it returns `Ok(Some(value))`, or fails after `timeout`.
///
/// `Ok(None)` and `Err(_)` both mean "not yet"; the last error (or `what`)
/// is reported on timeout. Use this instead of sleeping.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let start = Instant::now();
    loop {
        let last = match probe().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => None,
            Err(err) => Some(err.to_string()),
        };
        if start.elapsed() >= timeout {
            let detail = last
                .map(|e| format!(" (last error: {e})"))
                .unwrap_or_default();
            return Err(format!("timed out after {timeout:?} waiting for {what}{detail}").into());
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// Finds a free TCP port on 127.0.0.1 (by binding port 0 and releasing it).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

// ---------------------------------------------------------------------------
// Static file server
// ---------------------------------------------------------------------------

/// A std-only static file server for one directory, on `127.0.0.1:0`.
///
/// It answers `GET`/`HEAD`, maps `/` to `index.html`, refuses paths that
/// leave the directory, and records every request's path (query string
/// removed) so tests can check what the page fetched. Stops on drop.
pub struct StaticServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Starts serving `root`.
    pub fn start(root: &Path) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.canonicalize()?;
        let thread = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let root = root.clone();
                    let requests = Arc::clone(&requests);
                    std::thread::spawn(move || {
                        // A broken connection only affects that one request.
                        let _ = handle_connection(stream, &root, &requests);
                    });
                }
            })
        };
        Ok(Self {
            addr,
            requests,
            stop,
            thread: Some(thread),
        })
    }

    /// The origin, e.g. `http://127.0.0.1:41234`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of `path` (which should start with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Every request path received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn handle_connection(
    mut stream: TcpStream,
    root: &Path,
    requests: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers; we answer every request the same way.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    if let Ok(mut log) = requests.lock() {
        log.push(path.clone());
    }

    let response = match method {
        "GET" | "HEAD" => match resolve(root, &path) {
            Some(file) => match std::fs::read(&file) {
                Ok(body) => Response::ok(mime_type(&file), body),
                Err(_) => Response::not_found(),
            },
            None => Response::not_found(),
        },
        _ => Response {
            status: "405 Method Not Allowed",
            content_type: "text/plain; charset=utf-8",
            body: b"method not allowed\n".to_vec(),
        },
    };
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    // Drain anything left so the close does not reset the connection.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = reader.read(&mut [0u8; 512]);
    Ok(())
}

struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            status: "200 OK",
            content_type,
            body,
        }
    }

    fn not_found() -> Self {
        Self {
            status: "404 Not Found",
            content_type: "text/plain; charset=utf-8",
            body: b"not found\n".to_vec(),
        }
    }
}

/// Maps a URL path to a file under `root`, refusing anything that escapes it.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by extension.
pub fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

// ---------------------------------------------------------------------------
// chromedriver
// ---------------------------------------------------------------------------

/// A `chromedriver` process on a free port; killed on drop.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Spawns `/usr/bin/chromedriver` and waits until it answers `/status`.
    pub async fn start() -> Result<Self> {
        if !Path::new(CHROMEDRIVER).is_file() || !Path::new(CHROMIUM).is_file() {
            return Err(format!(
                "{CHROMEDRIVER} or {CHROMIUM} is missing: run `scripts/setup` (installs Debian's chromium and chromium-driver)"
            )
            .into());
        }
        let port = free_port()?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {CHROMEDRIVER}: {e}"))?;
        let driver = Self { child, port };
        wait_for("chromedriver to be ready", DEFAULT_TIMEOUT, || async {
            Ok(driver
                .get("/status")
                .ok()
                .filter(|body| body.contains("ready")))
        })
        .await?;
        Ok(driver)
    }

    /// The WebDriver URL, e.g. `http://127.0.0.1:9515`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A raw WebDriver `GET`, returning the body.
    pub fn get(&self, path: &str) -> Result<String> {
        self.raw_request("GET", path, None)
    }

    /// A raw WebDriver `POST` with a JSON body, returning the parsed reply.
    ///
    /// For chromedriver endpoints fantoccini has no method for (e.g. logs).
    pub fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let reply = self.raw_request("POST", path, Some(&body.to_string()))?;
        Ok(serde_json::from_str(&reply)?)
    }

    fn raw_request(&self, method: &str, path: &str, body: Option<&str>) -> Result<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let body = body.unwrap_or("");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        // chromedriver keeps the connection open despite `Connection: close`,
        // so read the head, then exactly Content-Length bytes.
        let mut reader = BufReader::new(stream);
        let mut content_length = None;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                let value = value.trim();
                if name == "content-length" {
                    content_length = value.parse::<usize>().ok();
                } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                    chunked = true;
                }
            }
        }
        if chunked {
            let mut body = String::new();
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim(), 16)?;
                if size == 0 {
                    return Ok(body);
                }
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk)?;
                chunk.truncate(size);
                body.push_str(&String::from_utf8(chunk)?);
            }
        }
        let length = content_length.ok_or("chromedriver reply has no Content-Length")?;
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        Ok(String::from_utf8(body)?)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // `/shutdown` quits every session and its Chromium; killing only
        // chromedriver would leave the browser processes behind.
        let _ = self.get("/shutdown");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// Browser session
// ---------------------------------------------------------------------------

/// A fresh temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a new unique directory under the system temp dir.
    pub fn new(prefix: &str) -> Result<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One browser console entry (from chromedriver's `browser` log).
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// `SEVERE`, `WARNING`, `INFO`, …
    pub level: String,
    /// Where it came from (`console-api`, `javascript`, `network`, …).
    pub source: String,
    /// The message text.
    pub message: String,
}

/// A site server, a chromedriver and one headless Chromium session on it.
///
/// Fields drop in order: the session first (closed explicitly in
/// [`Browser::close`]), then chromedriver (which takes Chromium with it),
/// the profile directory, and the server.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    /// The chromedriver process.
    pub driver: ChromeDriver,
    profile: TempDir,
    /// The server for `dist/`.
    pub server: StaticServer,
}

impl Browser {
    /// Serves `dist/` and opens a fresh headless Chromium session.
    pub async fn start() -> Result<Self> {
        Self::start_with_args(&[]).await
    }

    /// Like [`Browser::start`], with extra Chromium flags (e.g.
    /// `--js-flags=--expose-gc` for the benchmarks).
    pub async fn start_with_args(extra_args: &[&str]) -> Result<Self> {
        let server = StaticServer::start(&dist_dir()?)?;
        let driver = ChromeDriver::start().await?;
        let profile = TempDir::new("iam-playground-chromium")?;
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-quic".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--window-size=1280,900".to_string(),
            // Nothing but loopback resolves: an outside request fails (and
            // shows up as a console error) instead of leaving the machine.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".to_string(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let args: Vec<String> = args
            .into_iter()
            .chain(extra_args.iter().map(|a| a.to_string()))
            .collect();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(caps) = caps else {
            return Err("capabilities must be a JSON object".into());
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .map_err(|e| format!("cannot start a Chromium session via chromedriver: {e}"))?;
        Ok(Self {
            client,
            driver,
            profile,
            server,
        })
    }

    /// Opens `path` on the site server.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.client.goto(&self.server.url(path)).await?;
        Ok(())
    }

    /// Waits until an element matching `css` exists and returns it.
    pub async fn wait_for_element(&self, css: &str) -> Result<Element> {
        wait_for(&format!("element `{css}`"), DEFAULT_TIMEOUT, || async {
            Ok(self.client.find(Locator::Css(css)).await.ok())
        })
        .await
    }

    /// Waits until the element matching `css` has non-empty text, and returns it.
    pub async fn wait_for_text(&self, css: &str) -> Result<String> {
        wait_for(&format!("text in `{css}`"), DEFAULT_TIMEOUT, || async {
            let Ok(element) = self.client.find(Locator::Css(css)).await else {
                return Ok(None);
            };
            let text = element.text().await?;
            Ok(Some(text).filter(|t| !t.trim().is_empty()))
        })
        .await
    }

    /// Runs a JavaScript function body in the page and returns its result.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, Vec::new()).await?)
    }

    /// The browser console entries since the last call (chromedriver clears them).
    pub async fn console_log(&self) -> Result<Vec<LogEntry>> {
        let session = self
            .client
            .session_id()
            .await?
            .ok_or("the browser session has no id")?;
        let reply = self.driver.post(
            &format!("/session/{session}/se/log"),
            &json!({ "type": "browser" }),
        )?;
        let entries = reply
            .get("value")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("unexpected log reply from chromedriver: {reply}"))?;
        let field = |e: &Value, k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Ok(entries
            .iter()
            .map(|e| LogEntry {
                level: field(e, "level"),
                source: field(e, "source"),
                message: field(e, "message"),
            })
            .collect())
    }

    /// Every URL the page loaded, from the Resource Timing API (plus the page itself).
    pub async fn loaded_urls(&self) -> Result<BTreeSet<String>> {
        let value = self
            .eval(
                "return [location.href, \
                 ...performance.getEntriesByType('navigation').map(e => e.name), \
                 ...performance.getEntriesByType('resource').map(e => e.name)];",
            )
            .await?;
        let urls = value.as_array().ok_or("expected an array of URLs")?;
        Ok(urls
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect())
    }

    /// Saves a PNG screenshot of the viewport as `<target>/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("{name}.png"));
        std::fs::write(&file, png)?;
        Ok(file)
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (e.g.
    /// `Emulation.setEmulatedMedia`), returning its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let session = self
            .client
            .session_id()
            .await?
            .ok_or("the browser session has no id")?;
        let reply = self.driver.post(
            &format!("/session/{session}/goog/cdp/execute"),
            &json!({ "cmd": cmd, "params": params }),
        )?;
        match reply.get("value") {
            Some(v) if v.get("error").is_none() => Ok(v.clone()),
            _ => Err(format!("CDP {cmd} failed: {reply}").into()),
        }
    }

    /// Lets a script the test runs in the page take up to 10 minutes
    /// (WebDriver's default is 30 s): for benchmarks that loop in the page.
    pub async fn allow_long_scripts(&self) -> Result<()> {
        self.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(600)),
                None,
                None,
            ))
            .await?;
        Ok(())
    }

    /// Presses and releases one key wherever the focus is (the Actions
    /// API: unlike element "send keys", it never treats a file input
    /// specially).
    pub async fn press(&self, key: fantoccini::key::Key) -> Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// Makes every later request for the service catalogue (`catalog.bin`)
    /// fail, as on a host that does not serve it.
    pub async fn block_catalogue(&self) -> Result<()> {
        self.block_urls(&["*catalog.bin*"]).await
    }

    /// Makes every request whose URL matches one of `patterns` (`*` is any
    /// text) fail as a network error, from now on.
    pub async fn block_urls(&self, patterns: &[&str]) -> Result<()> {
        self.cdp("Network.enable", json!({})).await?;
        self.cdp("Network.setBlockedURLs", json!({ "urls": patterns }))
            .await?;
        Ok(())
    }

    /// Saves a PNG screenshot of the viewport to `path`.
    pub async fn screenshot_to(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Ends the WebDriver session, then stops chromedriver and the server.
    pub async fn close(self) -> Result<()> {
        let Self {
            client,
            driver,
            profile,
            server,
        } = self;
        let closed = client.close().await;
        drop(driver);
        drop(profile);
        drop(server);
        closed?;
        Ok(())
    }
}
