//! The real `qabot run` as a child process, for tests that need what only
//! the binary has: its own runtime, its logging set-up (JSON lines on
//! standard error, read back here), and signals. It talks only to the fake
//! Bot API whose URL it is given; dropped, it is killed. `QABOT_TEST_BINARY`
//! in the environment runs another build (a release one, for figures).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Shaped like a real token: numeric bot id, ':' and a 35-character secret.
pub const TOKEN: &str = "123456789:AAFakeSecretForQabotTests_0123456789";
pub const SECRET: &str = "AAFakeSecretForQabotTests_0123456789";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A running `qabot run`.
pub struct BotProcess {
    child: Child,
    dir: PathBuf,
    stderr: PathBuf,
}

impl BotProcess {
    /// Starts `qabot --config <config> run` against `api_url`, with JSON
    /// logs and `env` added (RUST_LOG and RUST_BACKTRACE are cleared first).
    pub fn spawn(api_url: &str, config: &str, env: &[(&str, &str)]) -> BotProcess {
        Self::spawn_with(api_url, config, env, None)
    }

    /// [`BotProcess::spawn`], with the process's umask set to `umask`
    /// (by the shell that starts it).
    pub fn spawn_with_umask(
        api_url: &str,
        config: &str,
        env: &[(&str, &str)],
        umask: u32,
    ) -> BotProcess {
        Self::spawn_with(api_url, config, env, Some(umask))
    }

    fn spawn_with(
        api_url: &str,
        config: &str,
        env: &[(&str, &str)],
        umask: Option<u32>,
    ) -> BotProcess {
        let dir = std::env::temp_dir().join(format!(
            "qabot-process-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let config_path = dir.join("config.toml");
        std::fs::write(&config_path, config).expect("the config file is written");
        let stderr = dir.join("stderr.log");
        // Another build of qabot (a release one, for figures) if named.
        let qabot = std::env::var_os("QABOT_TEST_BINARY")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_qabot").into());
        let mut cmd = match umask {
            None => Command::new(&qabot),
            Some(umask) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("umask {umask:03o} && exec \"$0\" \"$@\""))
                    .arg(&qabot);
                sh
            }
        };
        cmd.arg("--config")
            .arg(&config_path)
            .args(["run", "--log-format", "json"])
            .env_remove("RUST_LOG")
            .env_remove("RUST_BACKTRACE")
            .env_remove("TELOXIDE_PROXY")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", api_url);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).expect("a log file"));
        BotProcess {
            child: cmd.spawn().expect("qabot runs"),
            dir,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits up to `within` for it to exit by itself; its exit code (None
    /// if it is still running, or was killed by a signal).
    pub async fn exit_code(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// What it has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// SIGINT, then waits (without blocking the runtime) for a clean exit;
    /// returns the log.
    pub async fn stop(self) -> String {
        self.stop_with("-INT").await
    }

    /// [`BotProcess::stop`] with another signal (`-TERM`).
    pub async fn stop_with(mut self, signal: &str) -> String {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} failed");
        let deadline = Instant::now() + Duration::from_secs(15);
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status.code();
            }
            assert!(
                Instant::now() < deadline,
                "qabot did not stop within 15 s; log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let log = self.log();
        assert_eq!(code, Some(0), "exit code after kill {signal}; log:\n{log}");
        log
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The log's events; panics on a line that is not one JSON object, which
/// is also how a multi-line message or a panic's backtrace would show.
/// A last line without its newline is still being written by the running
/// bot, so it is left for the next read.
pub fn events(log: &str) -> Vec<Value> {
    let complete = log.rfind('\n').map_or("", |end| &log[..=end]);
    complete
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .filter(Value::is_object)
                .unwrap_or_else(|| panic!("a log line that is not a JSON event: {l}\nlog:\n{log}"))
        })
        .collect()
}

/// How many replies still being sent a stop gave up on at its deadline,
/// from its log line (none logged: none). A stop lets the replies being
/// sent finish first, retries and all, so with none given up every reply
/// in flight, a duplicate too, had landed when the process exited: the
/// event a check for duplicates waits for.
pub fn given_up_at_stop(log: &str) -> u64 {
    events(log)
        .iter()
        .filter_map(|e| e["given_up"].as_u64())
        .sum()
}
