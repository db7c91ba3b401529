//! Databases for the question-log tests: a fresh SQLite file, and a fresh
//! PostgreSQL database on the server named by `QABOT_TEST_POSTGRES_URL`
//! (`.ci/run` starts one on 127.0.0.1 and sets it). Without that variable
//! the PostgreSQL half of a test is skipped with a notice, unless
//! `QABOT_REQUIRE_POSTGRES=1` (also set by `.ci/run`) makes it a failure.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::AnyConnection;
use sqlx::Connection;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The key tests hash ids under (as `QABOT_LOG_KEY` would give it).
pub const TEST_KEY: &str = "qabot-test-key-0123456789abcdef0123456789abcdef";

/// [`TEST_KEY`], as a store takes it.
pub fn test_key() -> qabot::question_log::KeySource {
    qabot::question_log::KeySource::Env {
        var: qabot::question_log::key::KEY_VAR,
        key: TEST_KEY.into(),
    }
}

pub const POSTGRES_VAR: &str = "QABOT_TEST_POSTGRES_URL";
pub const REQUIRE_VAR: &str = "QABOT_REQUIRE_POSTGRES";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One fresh, empty database; removed when dropped.
pub struct TestDb {
    /// A URL for `QABOT_DATABASE_URL` or `DatabaseUrl::parse`.
    pub url: String,
    pub label: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    pub fn sqlite(test: &str) -> TestDb {
        let dir = std::env::temp_dir().join(format!(
            "qabot-db-{}-{}-{test}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TestDb {
            url: format!("sqlite:{}", dir.join("questions.sqlite").display()),
            label: "sqlite",
            cleanup: Cleanup::Dir(dir),
        }
    }

    /// A new database on the test server, or `None` (with a notice) when
    /// there is no server to test against.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let Some(admin_url) = std::env::var(POSTGRES_VAR).ok().filter(|v| !v.is_empty()) else {
            assert!(
                std::env::var(REQUIRE_VAR).as_deref() != Ok("1"),
                "{REQUIRE_VAR}=1 but {POSTGRES_VAR} is not set"
            );
            eprintln!(
                "note: {test}: PostgreSQL half skipped; set {POSTGRES_VAR}=postgres://USER:PASSWORD@127.0.0.1/DB (bash .ci/run does)"
            );
            return None;
        };
        sqlx::any::install_default_drivers();
        let name = format!(
            "qabot_t_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            test.chars()
                .filter(char::is_ascii_alphanumeric)
                .take(20)
                .collect::<String>()
                .to_lowercase()
        );
        let mut admin = AnyConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_VAR}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        Some(TestDb {
            url: with_database(&admin_url, &name),
            label: "postgres",
            cleanup: Cleanup::Database { admin_url, name },
        })
    }

    /// Every backend there is to test against: SQLite always, PostgreSQL
    /// when configured.
    pub async fn all(test: &str) -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite(test)];
        dbs.extend(TestDb::postgres(test).await);
        dbs
    }

    /// The SQLite file, for a SQLite database.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.url.strip_prefix("sqlite:").map(PathBuf::from)
    }

    /// The server's address, for a PostgreSQL database.
    pub fn postgres_addr(&self) -> Option<SocketAddr> {
        let url = reqwest::Url::parse(&self.url).ok()?;
        if !url.scheme().starts_with("postgres") {
            return None;
        }
        let host = url.host_str()?;
        format!("{host}:{}", url.port().unwrap_or(5432))
            .parse()
            .ok()
    }

    /// This database's URL with the server replaced by `addr` (a proxy).
    pub fn url_via(&self, addr: SocketAddr) -> String {
        let mut url = reqwest::Url::parse(&self.url).unwrap();
        url.set_host(Some(&addr.ip().to_string())).unwrap();
        url.set_port(Some(addr.port())).unwrap();
        url.to_string()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: the clean-up gets its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async {
                        if let Ok(mut admin) = AnyConnection::connect(&admin_url).await {
                            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .execute(&mut admin)
                            .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

fn with_database(url: &str, name: &str) -> String {
    let mut url = reqwest::Url::parse(url).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A TCP proxy on 127.0.0.1 in front of a database server, which a test
/// takes down (every connection cut, new ones closed at once) and brings
/// back, to play a database outage.
pub struct Proxy {
    pub addr: SocketAddr,
    down: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let down = Arc::new(AtomicBool::new(false));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (d, l) = (down.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if d.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                l.lock().unwrap().push(link);
            }
        });
        Proxy { addr, down, links }
    }

    /// Cuts every connection and refuses new ones.
    pub fn take_down(&self) {
        self.down.store(true, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    pub fn bring_back(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}
